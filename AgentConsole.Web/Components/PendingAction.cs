using AgentConsole.Domain.Persistence;

namespace AgentConsole.Web.Components;

/// <summary>
/// A component's Domain action in progress: <see cref="Busy"/> while it runs (buttons disable themselves), and
/// afterwards the refusal in words — a Domain rule's message, or that the database did not answer and nothing was saved.
/// </summary>
public sealed class PendingAction
{
    /// <summary>True while the action runs.</summary>
    public bool Busy { get; private set; }

    /// <summary>Why the last action was refused, for people; null after a success. Components may clear it.</summary>
    public string? Error { get; set; }

    /// <summary>The last refusal by a Domain rule, with its kind and field errors; null otherwise.</summary>
    public DomainException? Refusal { get; private set; }

    /// <summary>Runs <paramref name="action"/>; true when it succeeded, false when it was refused (see <see cref="Error"/>).</summary>
    public async Task<bool> RunAsync(Func<Task> action)
    {
        Busy = true;
        Error = null;
        Refusal = null;
        try
        {
            await action();
            return true;
        }
        catch (DomainException ex)
        {
            Refusal = ex;
            Error = ex.Message;
            return false;
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            Error = DatabaseFailures.UnavailableMessage;
            return false;
        }
        finally
        {
            Busy = false;
        }
    }
}

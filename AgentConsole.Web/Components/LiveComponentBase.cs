namespace AgentConsole.Web.Components;

/// <summary>
/// A component that follows decision events live. Subscribe after the first render; the filter
/// runs on the publisher's thread (keep it cheap), the update on this circuit's dispatcher, and
/// failures surface through the circuit's error handling. Unsubscribes on dispose.
/// </summary>
public abstract class LiveComponentBase : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private int _reloadPending;

    [Inject]
    private DecisionEventBus Events { get; set; } = default!;

    /// <summary>Applies each matching event.</summary>
    protected void FollowEvents(Func<DecisionEvent, bool> matches, Func<DecisionEvent, Task> apply)
    {
        _subscription?.Dispose();
        _subscription = Events.Subscribe(e =>
        {
            if (matches(e))
            {
                _ = InvokeAsync(async () =>
                {
                    try
                    {
                        await apply(e);
                    }
                    catch (Exception ex)
                    {
                        await DispatchExceptionAsync(ex);
                    }
                });
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>Reloads once per burst of matching events, after a short pause, then renders.</summary>
    protected void ReloadOnEvents(Func<DecisionEvent, bool> matches, TimeSpan pause, Func<Task> reload) =>
        FollowEvents(e => matches(e) && Interlocked.Exchange(ref _reloadPending, 1) == 0, async _ =>
        {
            await Task.Delay(pause);
            Interlocked.Exchange(ref _reloadPending, 0);
            await reload();
            StateHasChanged();
        });

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _subscription?.Dispose();
        }
    }
}

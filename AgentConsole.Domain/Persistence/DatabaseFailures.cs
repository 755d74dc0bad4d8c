using System.Data.Common;
using System.Net.Sockets;

namespace AgentConsole.Domain.Persistence;

/// <summary>Tells an unreachable database (try again later; nothing was saved) from a bug or a refused change.</summary>
public static class DatabaseFailures
{
    public const string UnavailableMessage = "The database does not answer, so nothing was saved. Try again in a moment.";

    public static bool IsUnavailable(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is SocketException or TimeoutException or IOException || (ex is DbException db && db.IsTransient))
            {
                return true;
            }
        }

        return false;
    }
}

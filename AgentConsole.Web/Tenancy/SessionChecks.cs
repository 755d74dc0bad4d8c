using System.Collections.Concurrent;
using AgentConsole.Domain.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Tenancy;

/// <summary>
/// Ends sessions whose account was disabled or changed. Every session carries the account's security stamp from when
/// it began; the database holds the current one, so every web node judges alike. A cookie is checked on every request
/// (one query by primary key), so the next page or API call after a change is refused at once.
/// </summary>
public static class SessionChecks
{
    /// <summary>Whether a session may go on: its account exists, is enabled and still has the stamp the session began with.</summary>
    public static bool Current(SessionStanding? standing, string stamp) =>
        standing is { IsActive: true } && string.Equals(standing.SecurityStamp, stamp, StringComparison.Ordinal);

    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var session = context.Principal?.Session();
        try
        {
            if (session is { } s && Current(await services.GetRequiredService<UserDirectory>().StandingAsync(s.UserId, context.HttpContext.RequestAborted), s.Stamp))
            {
                return;
            }
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            // Without the database nothing can be done anyway; the pages say it does not answer, and the check resumes.
            return;
        }

        services.GetRequiredService<AccountSecurityEvents>().SessionEnded("cookie session", session?.UserId.ToString() ?? "unknown", "the account was disabled or its roles changed");
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(SignInSetup.CookieScheme);
    }
}

/// <summary>
/// An open console (Blazor circuit) checks its account every <see cref="ConsoleAuthenticationOptions.RevalidateSeconds"/>;
/// when it is disabled or its roles changed, the console is signed out and sent to the sign-in page.
/// </summary>
public sealed class ConsoleAuthenticationStateProvider(
    ILoggerFactory loggers, UserDirectory directory, IOptions<ConsoleAuthenticationOptions> options, AccountSecurityEvents security)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(options.Value.RevalidateSeconds);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (authenticationState.User.Session() is not { } session)
        {
            return authenticationState.User.Identity?.IsAuthenticated != true;
        }

        try
        {
            if (SessionChecks.Current(await directory.StandingAsync(session.UserId, cancellationToken), session.Stamp))
            {
                return true;
            }
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            return true;
        }

        security.SessionEnded("console", session.UserId.ToString(), "the account was disabled or its roles changed");
        return false;
    }
}

/// <summary>The queue hub's open connections on this node, with the session each began with (kept by <see cref="QueueHubSessionFilter"/>).</summary>
public sealed class QueueHubSessions
{
    private readonly ConcurrentDictionary<string, (Guid UserId, string Stamp, HubCallerContext Connection)> _open = new(StringComparer.Ordinal);

    public void Opened(HubCallerContext connection)
    {
        if (connection.User?.Session() is { } session)
        {
            _open[connection.ConnectionId] = (session.UserId, session.Stamp, connection);
        }
    }

    public void Closed(string connectionId) => _open.TryRemove(connectionId, out _);

    public int Count => _open.Count;

    internal IReadOnlyList<(Guid UserId, string Stamp, HubCallerContext Connection)> Snapshot() => [.. _open.Values];
}

/// <summary>
/// Every <see cref="ConsoleAuthenticationOptions.RevalidateSeconds"/>, closes the queue hub connections on this node whose
/// account was disabled or changed, reading all their accounts in one query.
/// </summary>
public sealed class HubSessionChecks(QueueHubSessions sessions, UserDirectory directory, IOptions<ConsoleAuthenticationOptions> options, AccountSecurityEvents security, ILogger<HubSessionChecks> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RevalidateSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogDebug(ex, "The queue hub's sessions could not be checked; trying again at the next tick");
            }
        }
    }

    /// <summary>One check of every open connection; returns how many were closed.</summary>
    public async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var open = sessions.Snapshot();
        if (open.Count == 0)
        {
            return 0;
        }

        var standings = await directory.StandingsAsync([.. open.Select(o => o.UserId).Distinct()], cancellationToken);
        var closed = 0;
        foreach (var (userId, stamp, connection) in open)
        {
            if (!SessionChecks.Current(standings.GetValueOrDefault(userId), stamp))
            {
                security.SessionEnded("queue hub connection", userId.ToString(), "the account was disabled or its roles changed");
                connection.Abort();
                sessions.Closed(connection.ConnectionId);
                closed++;
            }
        }

        return closed;
    }
}

/// <summary>Keeps <see cref="QueueHubSessions"/> up to date as queue hub connections open and close.</summary>
public sealed class QueueHubSessionFilter(QueueHubSessions sessions) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        sessions.Opened(context.Context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        sessions.Closed(context.Context.ConnectionId);
        await next(context, exception);
    }
}

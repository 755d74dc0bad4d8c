using System.Net;
using System.Reflection;
using System.Text;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Tenancy;

/// <summary>
/// Every API endpoint, routable page, hub method and the job dashboard, discovered from the running host, held
/// against every role (and no sign-in) with ids of the caller's own tenant and of another tenant: exactly the
/// expected successes, and nothing of the other tenant found. Something new without an expectation fails here.
/// </summary>
public sealed class AuthorizationInventoryTests(AuthorizationInventoryTests.Host host) : IClassFixture<AuthorizationInventoryTests.Host>
{
    /// <summary>Who may use a thing: nobody signed in too, anyone signed in, or the roles that hold a permission.</summary>
    private sealed record Access(string? Permission, bool Anonymous = false)
    {
        public static readonly Access Public = new(Permission: null, Anonymous: true);
        public static readonly Access SignedIn = new(Permission: null);

        public static Access To(string permission) => new(permission);

        public bool Allows(string? role) => Anonymous || (role is not null && (Permission is null || Grants[Permission].Contains(role)));
    }

    private const string NoRole = "(signed out)";

    /// <summary>The permission table as the product promises it, written out by hand (not read from the code under test).</summary>
    private static readonly Dictionary<string, string[]> Grants = new()
    {
        [Permissions.ViewQueues] = [Roles.Operator, Roles.SeniorOperator, Roles.GovernanceBoard, Roles.PolicyAuthor, Roles.Auditor, Roles.Admin],
        [Permissions.ActOnDecisions] = [Roles.Operator, Roles.SeniorOperator],
        [Permissions.ViewAgents] = [Roles.SeniorOperator, Roles.PolicyAuthor, Roles.GovernanceBoard, Roles.Auditor, Roles.Admin],
        [Permissions.SubmitCases] = [Roles.Admin],
        [Permissions.ViewPolicies] = [Roles.PolicyAuthor, Roles.GovernanceBoard, Roles.SeniorOperator, Roles.Auditor, Roles.Admin],
        [Permissions.AuthorPolicies] = [Roles.PolicyAuthor],
        [Permissions.ReviewPolicies] = [Roles.GovernanceBoard],
        [Permissions.ViewTraces] = [Roles.Operator, Roles.SeniorOperator, Roles.PolicyAuthor, Roles.GovernanceBoard, Roles.Auditor, Roles.Admin],
        [Permissions.ReadAudit] = [Roles.Auditor, Roles.Admin],
        [Permissions.Administer] = [Roles.Admin],
        [Permissions.VerifyAudit] = [Roles.Auditor, Roles.Admin],
        [Permissions.ManageTraining] = [Roles.Trainer],
        [Permissions.ViewCertifications] = [Roles.Trainer, Roles.SeniorOperator, Roles.Auditor, Roles.Admin],
        [Permissions.TakeTraining] = [Roles.Trainee, Roles.Operator, Roles.SeniorOperator],
        [Permissions.ViewCalibration] = [Roles.Trainer, Roles.SeniorOperator],
        [Permissions.SuperviseQueues] = [Roles.SeniorOperator],
        [Permissions.PauseAgents] = [Roles.SeniorOperator],
    };

    /// <summary>Every HTTP endpoint by "METHODS pattern".</summary>
    private static readonly Dictionary<string, Access> Endpoints = new(StringComparer.Ordinal)
    {
        // Sign-in, health and the Blazor circuit's own endpoints serve people before they sign in.
        ["POST /account/login"] = Access.Public,
        ["POST /account/logout"] = Access.Public,
        ["GET /account/sso"] = Access.Public,
        ["* /health/live"] = Access.Public,
        ["* /health/ready"] = Access.Public,
        ["* /_blazor"] = Access.Public,
        ["* /_blazor/negotiate"] = Access.Public,
        ["* /_blazor/initializers/"] = Access.Public,
        ["* /_blazor/disconnect/"] = Access.Public,
        ["GET /_framework/opaque-redirect"] = Access.Public,

        // Static files not known at build time (the fallback of the static asset endpoints).
        ["GET,HEAD /{**path:file}"] = Access.Public,

        // The queue hub (its methods are listed below).
        ["* /hubs/queues"] = Access.To(Permissions.ViewQueues),
        ["* /hubs/queues/negotiate"] = Access.To(Permissions.ViewQueues),

        // The job dashboard.
        ["* /hangfire/{**path}"] = Access.To(Permissions.Administer),

        // API.
        ["GET /api/queues/"] = Access.To(Permissions.ViewQueues),
        ["GET /api/queues/{queueId:guid}/decisions"] = Access.To(Permissions.ViewQueues),
        ["GET /api/queues/{queueId:guid}/filters"] = Access.To(Permissions.ViewQueues),
        ["POST /api/queues/{queueId:guid}/filters"] = Access.To(Permissions.ViewQueues),
        ["DELETE /api/queues/{queueId:guid}/filters/{filterId:guid}"] = Access.To(Permissions.ViewQueues),
        ["GET /api/decisions/{decisionId:guid}"] = Access.To(Permissions.ViewQueues),
        ["GET /api/decisions/{decisionId:guid}/lineage"] = Access.To(Permissions.ViewQueues),
        ["POST /api/decisions/{decisionId:guid}/claim"] = Access.To(Permissions.ActOnDecisions),
        ["POST /api/decisions/{decisionId:guid}/release"] = Access.To(Permissions.ActOnDecisions),
        ["POST /api/decisions/{decisionId:guid}/approve"] = Access.To(Permissions.ActOnDecisions),
        ["POST /api/decisions/{decisionId:guid}/override"] = Access.To(Permissions.ActOnDecisions),
        ["POST /api/decisions/{decisionId:guid}/reject"] = Access.To(Permissions.ActOnDecisions),
        ["POST /api/decisions/{decisionId:guid}/escalate"] = Access.To(Permissions.ActOnDecisions),
        ["POST /api/decisions/bulk/preview"] = Access.To(Permissions.ActOnDecisions),
        ["POST /api/decisions/bulk"] = Access.To(Permissions.ActOnDecisions),

        // Claims as leases, senior operators' assignments, the work views and the business calendar.
        ["POST /api/decisions/{decisionId:guid}/lease"] = Access.To(Permissions.ActOnDecisions),
        ["GET /api/decisions/{decisionId:guid}/assignees"] = Access.To(Permissions.SuperviseQueues),
        ["POST /api/decisions/{decisionId:guid}/assignment"] = Access.To(Permissions.SuperviseQueues),
        ["POST /api/decisions/{decisionId:guid}/assignment/release"] = Access.To(Permissions.SuperviseQueues),
        ["GET /api/work/mine"] = Access.To(Permissions.ActOnDecisions),
        ["GET /api/work/available"] = Access.To(Permissions.ActOnDecisions),
        ["GET /api/work/attention"] = Access.To(Permissions.SuperviseQueues),
        ["GET /api/business-calendar/"] = Access.To(Permissions.Administer),
        ["PUT /api/business-calendar/"] = Access.To(Permissions.Administer),

        // Anyone who sees decisions may ask; the routing policy says who sees which field and who may reveal it
        // (the default pricing policy hides the margin floor from operators, who may reveal it; others see it anyway: 400).
        ["POST /api/decisions/{decisionId:guid}/reveal"] = Access.To(Permissions.ViewQueues),
        ["POST /api/agents/{agentKey}/runs"] = Access.To(Permissions.SubmitCases),
        ["GET /api/runs/{runId:guid}"] = Access.To(Permissions.ViewAgents),
        ["POST /api/agents/{agentKey}/pause"] = Access.To(Permissions.PauseAgents),
        ["POST /api/agents/{agentKey}/resume"] = Access.To(Permissions.PauseAgents),
        ["GET /api/policies/"] = Access.To(Permissions.ViewPolicies),
        ["GET /api/policies/schema"] = Access.To(Permissions.ViewPolicies),
        ["GET /api/policies/{scopeId:guid}/versions"] = Access.To(Permissions.ViewPolicies),
        ["GET /api/policies/versions/{versionId:guid}"] = Access.To(Permissions.ViewPolicies),
        ["POST /api/policies/{scopeId:guid}/validate"] = Access.To(Permissions.ViewPolicies),
        ["GET /api/policies/versions/{versionId:guid}/simulation"] = Access.To(Permissions.ViewPolicies),
        ["POST /api/policies/{scopeId:guid}/drafts"] = Access.To(Permissions.AuthorPolicies),
        ["PUT /api/policies/versions/{versionId:guid}"] = Access.To(Permissions.AuthorPolicies),
        ["POST /api/policies/versions/{versionId:guid}/submit"] = Access.To(Permissions.AuthorPolicies),
        ["POST /api/policies/versions/{versionId:guid}/approve"] = Access.To(Permissions.ReviewPolicies),
        ["POST /api/policies/versions/{versionId:guid}/reject"] = Access.To(Permissions.ReviewPolicies),
        ["GET /api/audit/verification"] = Access.To(Permissions.VerifyAudit),
        ["POST /api/audit/verification"] = Access.To(Permissions.VerifyAudit),
        ["POST /api/audit/checkpoints"] = Access.To(Permissions.VerifyAudit),

        // Traces: whoever sees queues or agents follows a decision or run to its trace (trainers and trainees do not).
        ["GET /api/traces/"] = Access.To(Permissions.ViewTraces),
        ["GET /api/traces/{traceId}"] = Access.To(Permissions.ViewTraces),

        // The audit trail: read (and exported) by auditors and admins, changed by nobody.
        ["GET /api/audit/entries/"] = Access.To(Permissions.ReadAudit),
        ["GET /api/audit/entries/export"] = Access.To(Permissions.ReadAudit),

        // Certifications: seen by those who staff or check queues, revoked by trainers; one's own (and its PDF) by
        // everyone signed in; a certificate's code checked by anyone.
        ["GET /api/certifications/"] = Access.To(Permissions.ViewCertifications),
        ["GET /api/certifications/expiring"] = Access.To(Permissions.ViewCertifications),
        ["POST /api/certifications/{certificationId:guid}/revoke"] = Access.To(Permissions.ManageTraining),
        ["GET /api/me/certifications/"] = Access.SignedIn,
        ["GET /api/me/certifications/{certificationId:guid}/pdf"] = Access.SignedIn,
        ["GET /api/certificates/verify"] = Access.Public,
        // Training tracks: built by trainers only.
        ["GET /api/training/tracks"] = Access.To(Permissions.ManageTraining),
        ["POST /api/training/tracks"] = Access.To(Permissions.ManageTraining),
        ["GET /api/training/tracks/{trackId:guid}"] = Access.To(Permissions.ManageTraining),
        ["PUT /api/training/tracks/{trackId:guid}"] = Access.To(Permissions.ManageTraining),
        ["POST /api/training/tracks/{trackId:guid}/publish"] = Access.To(Permissions.ManageTraining),
        ["POST /api/training/tracks/{trackId:guid}/retire"] = Access.To(Permissions.ManageTraining),
        ["POST /api/training/tracks/{trackId:guid}/versions"] = Access.To(Permissions.ManageTraining),
        ["POST /api/training/tracks/{trackId:guid}/exercises"] = Access.To(Permissions.ManageTraining),
        ["POST /api/training/tracks/{trackId:guid}/exercises/{exerciseId:guid}/scenarios"] = Access.To(Permissions.ManageTraining),
        ["POST /api/training/tracks/{trackId:guid}/exercises/{exerciseId:guid}/scenarios/generate"] = Access.To(Permissions.ManageTraining),
        ["POST /api/training/tracks/{trackId:guid}/exercises/{exerciseId:guid}/scenarios/import"] = Access.To(Permissions.ManageTraining),
        ["GET /api/training/resolved-decisions"] = Access.To(Permissions.ManageTraining),
        ["GET /api/training/agents"] = Access.To(Permissions.ManageTraining),
        ["GET /api/training/sessions/{sessionId:guid}"] = Access.To(Permissions.ManageTraining),
        ["GET /api/training/progress"] = Access.To(Permissions.ManageTraining),

        // Training sessions: a trainee's own, in the sandbox; someone else's session does not exist for them.
        ["GET /api/learning/offers"] = Access.To(Permissions.TakeTraining),
        ["GET /api/learning/sessions"] = Access.To(Permissions.TakeTraining),
        ["POST /api/learning/sessions"] = Access.To(Permissions.TakeTraining),
        ["GET /api/learning/sessions/{sessionId:guid}"] = Access.To(Permissions.TakeTraining),
        ["POST /api/learning/sessions/{sessionId:guid}/items/{itemId:guid}/answer"] = Access.To(Permissions.TakeTraining),
        ["POST /api/learning/sessions/{sessionId:guid}/finish"] = Access.To(Permissions.TakeTraining),

        // Calibration: operators' accuracy on gold items seen by supervisors and trainers, pauses cleared by trainers,
        // one's own pauses by everyone signed in.
        ["GET /api/calibration/"] = Access.To(Permissions.ViewCalibration),
        ["POST /api/calibration/pauses/{pauseId:guid}/clear"] = Access.To(Permissions.ManageTraining),
        ["GET /api/me/calibration/pauses"] = Access.SignedIn,
        // Which decision was a gold item: auditors only (a real decision: 404).
        ["GET /api/calibration/gold-items/{decisionId:guid}"] = Access.To(Permissions.ReadAudit),

        // Notifications: each person's own (every signed-in person); webhooks and the delivery log for admins.
        ["GET /api/notifications/"] = Access.SignedIn,
        ["POST /api/notifications/{notificationId:guid}/read"] = Access.SignedIn,
        ["POST /api/notifications/read-all"] = Access.SignedIn,
        ["GET /api/notifications/settings"] = Access.SignedIn,
        ["PUT /api/notifications/settings"] = Access.SignedIn,
        ["GET /api/admin/notifications/webhooks"] = Access.To(Permissions.Administer),
        ["POST /api/admin/notifications/webhooks"] = Access.To(Permissions.Administer),
        ["PUT /api/admin/notifications/webhooks/{webhookId:guid}"] = Access.To(Permissions.Administer),
        ["DELETE /api/admin/notifications/webhooks/{webhookId:guid}"] = Access.To(Permissions.Administer),
        ["GET /api/admin/notifications/deliveries"] = Access.To(Permissions.Administer),

        // Pages.
        ["GET /notifications"] = Access.SignedIn,
        ["GET /admin/notifications"] = Access.To(Permissions.Administer),
        ["GET /admin/notifications/deliveries"] = Access.To(Permissions.Administer),
        ["GET /account/login"] = Access.Public,
        ["GET /certificates/verify"] = Access.Public,
        ["GET /certifications"] = Access.To(Permissions.ViewCertifications),
        ["GET /calibration"] = Access.To(Permissions.ViewCalibration),
        ["GET /account/denied"] = Access.Public,
        ["GET /not-found"] = Access.Public,
        ["GET /error"] = Access.Public,
        ["GET /status/{Code:int}"] = Access.Public,
        ["GET /"] = Access.SignedIn,
        ["GET /me"] = Access.SignedIn,
        ["GET /admin/users"] = Access.To(Permissions.Administer),
        ["GET /admin/business-calendar"] = Access.To(Permissions.Administer),
        ["GET /queues"] = Access.To(Permissions.ViewQueues),
        ["GET /work"] = Access.To(Permissions.ActOnDecisions),
        ["GET /queues/{QueueId:guid}"] = Access.To(Permissions.ViewQueues),
        ["GET /decisions/{DecisionId:guid}"] = Access.To(Permissions.ViewQueues),
        ["GET /decisions/{DecisionId:guid}/lineage"] = Access.To(Permissions.ViewQueues),
        ["GET /audit"] = Access.To(Permissions.ReadAudit),
        ["GET /agents"] = Access.To(Permissions.ViewAgents),
        ["GET /agents/{AgentKey}"] = Access.To(Permissions.ViewAgents),
        ["GET /policies"] = Access.To(Permissions.ViewPolicies),
        ["GET /policies/{ScopeId:guid}"] = Access.To(Permissions.ViewPolicies),
        ["GET /policies/{ScopeId:guid}/diff"] = Access.To(Permissions.ViewPolicies),
        ["GET /policies/versions/{VersionId:guid}"] = Access.To(Permissions.ViewPolicies),
        ["GET /traces"] = Access.To(Permissions.ViewTraces),
        ["GET /traces/{TraceId}"] = Access.To(Permissions.ViewTraces),
        ["GET /audit/verification"] = Access.To(Permissions.VerifyAudit),
        ["GET /training"] = Access.To(Permissions.ManageTraining),
        ["GET /training/tracks/{TrackId:guid}"] = Access.To(Permissions.ManageTraining),
        ["GET /training/progress"] = Access.To(Permissions.ManageTraining),
        ["GET /training/sessions/{SessionId:guid}"] = Access.To(Permissions.ManageTraining),
        ["GET /learning"] = Access.To(Permissions.TakeTraining),
        ["GET /learning/sessions/{SessionId:guid}"] = Access.To(Permissions.TakeTraining),
        ["GET /learning/sessions/{SessionId:guid}/items/{ItemId:guid}"] = Access.To(Permissions.TakeTraining),
    };

    /// <summary>Every public method of the queue hub.</summary>
    private static readonly Dictionary<string, Access> HubMethods = new(StringComparer.Ordinal)
    {
        [nameof(QueueHub.SubscribeTenant)] = Access.To(Permissions.ViewQueues),
        [nameof(QueueHub.UnsubscribeTenant)] = Access.To(Permissions.ViewQueues),
        [nameof(QueueHub.SubscribeQueue)] = Access.To(Permissions.ViewQueues),
        [nameof(QueueHub.UnsubscribeQueue)] = Access.To(Permissions.ViewQueues),
    };

    private static readonly string?[] Callers = [NoRole, .. Roles.All];

    private static readonly string[] TenantIdParameters = ["{notificationId", "{webhookId", "{decisionId", "{queueId", "{runId", "{scopeId", "{versionId", "{traceId", "{certificationId", "{trackId", "{sessionId", "{pauseId"];

    private ConsoleFactory Factory => host.Factory;

    private Ids Own => host.Own;

    private Ids Other => host.Other;

    /// <summary>The ids a route or hub method takes, all of one tenant, and what of it must never show elsewhere.</summary>
    public sealed record Ids(Guid Decision, Guid Queue, Guid Run, Guid Scope, Guid Version, string Subject, string Trace, Guid Certification, Guid Track, Guid Exercise, Guid Session, Guid Item, Guid Pause)
    {
        public string Fill(string pattern) => pattern
            .Replace("{sessionId:guid}", Session.ToString(), StringComparison.OrdinalIgnoreCase)
            .Replace("{itemId:guid}", Item.ToString(), StringComparison.OrdinalIgnoreCase)
            .Replace("{pauseId:guid}", Pause.ToString(), StringComparison.OrdinalIgnoreCase)
            .Replace("{filterId:guid}", "0f1e2d3c-0000-4000-8000-000000000001", StringComparison.OrdinalIgnoreCase)
            .Replace("{notificationId:guid}", Queue.ToString(), StringComparison.OrdinalIgnoreCase)
            .Replace("{webhookId:guid}", "0f1e2d3c-0000-4000-8000-000000000002", StringComparison.OrdinalIgnoreCase)
            .Replace("{certificationId:guid}", Certification.ToString(), StringComparison.OrdinalIgnoreCase)
            .Replace("{trackId:guid}", Track.ToString(), StringComparison.OrdinalIgnoreCase)
            .Replace("{exerciseId:guid}", Exercise.ToString(), StringComparison.OrdinalIgnoreCase)
            .Replace("{traceId}", Trace, StringComparison.OrdinalIgnoreCase)
            .Replace("{decisionId:guid}", Decision.ToString(), StringComparison.OrdinalIgnoreCase)
            .Replace("{queueId:guid}", Queue.ToString(), StringComparison.OrdinalIgnoreCase)
            .Replace("{runId:guid}", Run.ToString(), StringComparison.OrdinalIgnoreCase)
            .Replace("{scopeId:guid}", Scope.ToString(), StringComparison.OrdinalIgnoreCase)
            .Replace("{versionId:guid}", Version.ToString(), StringComparison.OrdinalIgnoreCase)
            .Replace("{agentKey}", "pricing", StringComparison.Ordinal)
            .Replace("{**path}", "jobs/enqueued", StringComparison.Ordinal)
            .Replace("{**path:file}", "robots.txt", StringComparison.Ordinal)
            .Replace("{Code:int}", "404", StringComparison.Ordinal);
    }

    [Fact]
    public void EveryEndpointPageAndHubMethod_HasAnExpectation()
    {
        var discovered = DiscoverEndpoints().Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var hubMethods = typeof(QueueHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);

        var missing = discovered.Except(Endpoints.Keys).Concat(hubMethods.Except(HubMethods.Keys).Select(m => $"hub method {m}")).Order().ToList();
        var stale = Endpoints.Keys.Except(discovered).Concat(HubMethods.Keys.Except(hubMethods).Select(m => $"hub method {m}")).Order().ToList();

        Assert.True(missing.Count == 0, "Add an expectation for: " + string.Join(", ", missing));
        Assert.True(stale.Count == 0, "No longer exists, remove its expectation: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task EveryEndpointAndPage_AdmitsExactlyTheExpectedRoles_AndFindsNothingOfAnotherTenant()
    {
        var problems = new List<string>();
        foreach (var (key, method, pattern) in DiscoverEndpoints().Where(e => !e.Key.StartsWith("* /_blazor", StringComparison.Ordinal)))
        {
            var access = Endpoints[key];
            foreach (var role in Callers)
            {
                var caller = role == NoRole ? null : role;
                var (status, _) = await SendAsync(method, Own.Fill(pattern), caller);
                var admitted = status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);
                if (admitted != access.Allows(caller))
                {
                    problems.Add($"{key} as {role}: {(int)status}, expected {(access.Allows(caller) ? "admitted" : "refused")}");
                }

                if (TakesTenantIds(pattern) && access.Allows(caller) && caller is not null)
                {
                    var (otherStatus, body) = await SendAsync(method, Other.Fill(pattern), caller);
                    if (otherStatus is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden) && !IsNotFoundPage(otherStatus, body))
                    {
                        problems.Add($"{key} as {role} with another tenant's ids: {(int)otherStatus}");
                    }

                    if (body.Contains(Other.Subject, StringComparison.Ordinal) || body.Contains(Other.Decision.ToString(), StringComparison.OrdinalIgnoreCase) && otherStatus == HttpStatusCode.OK)
                    {
                        problems.Add($"{key} as {role} showed another tenant's data");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task EveryHubMethod_AdmitsExactlyTheExpectedRoles_AndRefusesAnotherTenantsQueue()
    {
        var problems = new List<string>();
        foreach (var role in Roles.All)
        {
            var mayConnect = Access.To(Permissions.ViewQueues).Allows(role);
            HubConnection? hub = null;
            try
            {
                hub = await ConnectAsync(role);
            }
            catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
            }

            if ((hub is not null) != mayConnect)
            {
                problems.Add($"hub connection as {role}: {(hub is null ? "refused" : "admitted")}, expected {(mayConnect ? "admitted" : "refused")}");
            }

            if (hub is null)
            {
                continue;
            }

            await using (hub)
            {
                foreach (var (method, access) in HubMethods)
                {
                    object?[] args = method.Contains("Queue", StringComparison.Ordinal) ? [Own.Queue] : [];
                    var admitted = await TryInvokeAsync(hub, method, args);
                    if (admitted != access.Allows(role))
                    {
                        problems.Add($"hub method {method} as {role}: {(admitted ? "admitted" : "refused")}");
                    }
                }

                if (await TryInvokeAsync(hub, nameof(QueueHub.SubscribeQueue), [Other.Queue]))
                {
                    problems.Add($"hub method SubscribeQueue as {role} subscribed to another tenant's queue");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task SignedOut_TheHubRefusesTheConnection()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync(null));
    }

    /// <summary>Whether a route names something of a tenant (a decision, queue, run, policy scope or version).</summary>
    private static bool TakesTenantIds(string pattern) => TenantIdParameters.Any(p => pattern.Contains(p, StringComparison.OrdinalIgnoreCase));

    private static bool IsNotFoundPage(HttpStatusCode status, string body) =>
        status == HttpStatusCode.OK && (body.Contains("does not exist", StringComparison.Ordinal) || body.Contains("not found", StringComparison.OrdinalIgnoreCase));

    private static async Task<bool> TryInvokeAsync(HubConnection hub, string method, object?[] args)
    {
        try
        {
            await hub.InvokeCoreAsync(method, args);
            return true;
        }
        catch (Microsoft.AspNetCore.SignalR.HubException)
        {
            return false;
        }
    }

    private async Task<HubConnection> ConnectAsync(string? role)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Factory.Server.BaseAddress, QueueHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => Factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                if (role is not null)
                {
                    o.Headers[HeaderSignIn.Header] = role;
                }
            })
            .Build();
        await hub.StartAsync();
        return hub;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string method, string path, string? role)
    {
        using var client = Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (role is not null)
        {
            request.Headers.Add(HeaderSignIn.Header, role);
        }

        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("""{ "reason": "inventory probe", "field": "marginFloorPercent", "expectedVersion": 1, "document": "x", "changeNote": "probe", "subject": "probe", "inputs": {} }""", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The host's endpoints as "METHODS pattern", apart from static files.</summary>
    private List<(string Key, string Method, string Pattern)> DiscoverEndpoints()
    {
        var found = new List<(string, string, string)>();
        foreach (var endpoint in Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null)
            {
                continue;
            }

            var pattern = endpoint.RoutePattern.RawText ?? "";
            pattern = pattern.StartsWith('/') ? pattern : "/" + pattern;
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods;
            var isPage = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null;
            var method = isPage ? "GET" : methods is null || methods.Count == 0 ? "*" : string.Join(",", methods.Order());
            found.Add(($"{method} {pattern}", method == "*" ? "GET" : method.Split(',')[0], pattern));
        }

        return found.DistinctBy(f => f.Item1).ToList();
    }

    /// <summary>One console (signed in by a test header) with a pending decision in each of two tenants.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public ConsoleFactory Factory { get; } = new() { HeaderSignIn = true };

        public Ids Own { get; private set; } = default!;

        public Ids Other { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            Factory.Start();
            Own = await IdsAsync(DemoData.ContosoId, "Inventory Contoso AB");
            Other = await IdsAsync(DemoData.FabrikamId, "Inventory Fabrikam Oy");
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();

        private async Task<Ids> IdsAsync(Guid tenantId, string customer)
        {
            var decision = await Factory.ProposeAsync(TestCases.UncertainPricing(customer), tenantId: tenantId);
            var key = PolicyScope.UseCaseKey(Domain.Agents.UseCase.DynamicPricing);
            var scope = await Factory.WaitForAsync(db => db.PolicyScopes.SingleOrDefaultAsync(p => p.Key == key), tenantId);
            var traceParent = await Factory.ReadAsync(db => db.Runs.Where(r => r.Id == decision.RunId).Select(r => r.TraceParent).SingleAsync(), tenantId);
            var trace = Domain.Traces.StoredSpan.TraceIdOf(traceParent) ?? throw new InvalidOperationException("The run was not traced.");

            // The run's spans are stored, so another tenant asking for this trace would find something if isolation failed.
            await Factory.WaitForAsync(db => db.StoredSpans.FirstOrDefaultAsync(s => s.TraceId == trace), tenantId);
            // A demo senior's certification of this tenant (seeded with the demo data).
            var certification = await Factory.ReadAsync(db => db.Certifications.Where(c => c.Key == "high-risk-approval" && !c.HolderId.StartsWith("demo-colleague:")).Select(c => c.Id).FirstAsync(), tenantId);

            // The tenant's draft demo track: probes may send anything to it, and nothing they send is valid enough to change it.
            var track = await Factory.ReadAsync(db => db.TrainingTracks.Include(t => t.Exercises).SingleAsync(t => t.Key == Domain.Training.Tracks.DemoTracks.ContractKey), tenantId);
            // A calibration pause of this tenant (of nobody who signs in here): a trainer's probe may clear it.
            var pause = await Factory.ReadAsync(async db =>
            {
                var p = new Domain.Training.Calibration.CalibrationPause(Guid.NewGuid(), tenantId, "inventory-probe", "Inventory Probe", Domain.Agents.UseCase.DynamicPricing,
                    [Domain.Decisions.RiskLevel.High], 40, 5, 60, TimeSpan.FromDays(7), DateTimeOffset.UtcNow);
                db.CalibrationPauses.Add(p);
                await db.SaveChangesAsync();
                return p.Id;
            }, tenantId);
            // A practice session of someone in training on the tenant's published demo track: nobody probing owns it.
            var published = await Factory.ReadAsync(db => db.TrainingTracks.Where(t => t.Key == Domain.Training.Tracks.DemoTracks.PricingKey).Select(t => t.Id).FirstAsync(), tenantId);
            await using var services = Factory.Services.CreateAsyncScope();
            services.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
            var session = await services.ServiceProvider.GetRequiredService<Domain.Training.Sessions.TrainingSessions>()
                .StartAsync(Actor.User(Guid.NewGuid(), "Inventory trainee", tenantId, [Roles.Trainee]), published, Domain.Training.Sessions.SessionMode.Practice);
            return new Ids(decision.Id, decision.QueueId!.Value, decision.RunId, scope.Id, scope.ActiveVersionId!.Value, decision.Subject, trace, certification, track.Id,
                track.Exercises.Single().Id, session.Id, session.Items[0].Id, pause);
        }
    }
}

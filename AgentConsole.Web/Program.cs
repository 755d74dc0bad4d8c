using AgentConsole.Jobs;
using AgentConsole.Jobs.Hosting;
using AgentConsole.Jobs.ScaleOut;
using AgentConsole.Jobs.Traces;
using AgentConsole.Web;
using AgentConsole.Web.Agents;
using AgentConsole.Web.Audit;
using AgentConsole.Web.Decisions;
using AgentConsole.Web.Hosting;
using AgentConsole.Web.Hosting.Security;
using AgentConsole.Web.Notifications;
using AgentConsole.Web.Pipelines;
using AgentConsole.Web.Training.Sessions;
using AgentConsole.Web.Policies;
using AgentConsole.Web.Queues;
using AgentConsole.Web.Traces;
using AgentConsole.Web.Training.Calibration;
using AgentConsole.Web.Training.Certifications;
using AgentConsole.Web.Training;
using Hangfire;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddAgentConsoleSettings();
builder.UseDefaultListenAddress();
builder.AddAgentConsoleDomain();
builder.AddAgentConsoleJobs();
builder.AddAgentConsoleScaleOut();
builder.AddAgentConsoleWeb();
builder.AddAgentConsoleTelemetry("agentconsole-web", t => t.AddAspNetCoreInstrumentation(), m => m.AddAspNetCoreInstrumentation());

var app = builder.Build();
if (!await app.StartupChecksPassAsync())
{
    return 1;
}

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseHstsOutsideDevelopment();
app.UseConsoleCookiePolicy();
app.UseApiErrors();
app.UseConsoleStatusPages();
app.UseRouting();
app.UseAuthentication();
app.UseApiCrossSiteProtection();
app.UseHandshakeOriginCheck();
app.UseConsoleRateLimits();
app.UseAuthorization();
app.UseMiddleware<TenantMiddleware>();
app.UseApiIdempotency();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapAccountEndpoints();
app.MapQueuesApi();
app.MapDecisionsApi();
app.MapWorkApi();
app.MapRunsApi();
app.MapAgentPauseApi();
app.MapPoliciesApi();
app.MapTracesApi();
app.MapAuditVerificationApi();
app.MapAuditApi();
app.MapCertificationsApi();
app.MapTrainingApi();
app.MapTrainingSessionsApi();
app.MapCalibrationApi();
app.MapNotificationsApi();
app.MapHub<QueueHub>(QueueHub.Path);
app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [], AppPath = "/", DashboardTitle = "AgentConsole jobs" })
    .RequireAuthorization(Permissions.Administer);
app.MapHealthEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(ConsoleSecurity.FramingByPolicy);

return await app.RunConsoleAsync();

/// <summary>The web host; public so tests can start it with <c>WebApplicationFactory</c>.</summary>
public partial class Program;

using AgentConsole.Domain;
using AgentConsole.Jobs;
using AgentConsole.Jobs.Audit;
using AgentConsole.Jobs.Hosting;
using AgentConsole.Jobs.ScaleOut;
using AgentConsole.Jobs.Traces;

// The worker host: a Hangfire server for the agent pipelines, run on its own beside the web nodes.
// `verify-audit [--tenant slug]` verifies the audit chains instead, for schedulers, and exits.
if (VerifyAuditCommand.Matches(args))
{
    return await VerifyAuditCommand.RunAsync(args[1..]);
}

var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddAgentConsoleSettings();
builder.AddAgentConsoleDomain();
builder.AddAgentConsoleJobs();
builder.AddAgentConsoleScaleOut();
builder.AddAgentConsoleTelemetry("agentconsole-jobs");

using var host = builder.Build();
if (!await host.Services.StartupChecksPassAsync())
{
    return 1;
}

await host.RunAsync();
return 0;

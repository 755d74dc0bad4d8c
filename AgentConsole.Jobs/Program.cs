using AgentConsole.Domain;
using AgentConsole.Domain.Persistence;
using AgentConsole.Jobs;
using AgentConsole.Jobs.Hosting;
using AgentConsole.Jobs.Traces;

// The worker host: a Hangfire server for the agent pipelines, run on its own beside the web nodes.
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddAgentConsoleSettings();
builder.AddAgentConsoleDomain();
builder.AddAgentConsoleJobs();
builder.AddAgentConsoleTelemetry("agentconsole-jobs");

using var host = builder.Build();
await host.Services.InitializeDatabaseAsync();
await host.RunAsync();

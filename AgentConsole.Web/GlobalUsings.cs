// Component code-behind files share the vocabulary of _Imports.razor.
global using AgentConsole.Domain;
global using AgentConsole.Domain.Agents;
global using AgentConsole.Domain.Audit;
global using AgentConsole.Domain.Decisions;
global using AgentConsole.Domain.Queues;
global using AgentConsole.Domain.Tenancy;
global using AgentConsole.Web.Tenancy;
global using Microsoft.AspNetCore.Components;
global using MudBlazor;
global using AgentConsole.Web.Components;
global using AgentConsole.Domain.Training.Certifications;

using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>Puts a policy version in force the way people do: the author drafts and submits it, two board members approve it.</summary>
public static class PolicyVersions
{
    /// <summary>Activates the use case's version in force with <paramref name="edit"/> applied to its document; returns the new version's id.</summary>
    public static async Task<Guid> ActivateAsync(IServiceProvider services, UseCase useCase, Func<string, string> edit, Guid? tenantId = null)
    {
        var tenant = tenantId ?? DemoData.ContosoId;
        var users = services.GetRequiredService<UserDirectory>();
        async Task<Actor> Person(string userName) => (await users.FindAsync(userName))!.Value.User.ToActor();
        var (author, board1, board2) = (await Person("author"), await Person("board1"), await Person("board2"));

        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant);
        Guid scopeId;
        await using (var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create())
        {
            var key = PolicyScope.UseCaseKey(useCase);
            scopeId = await db.PolicyScopes.Where(s => s.Kind == PolicyScopeKind.UseCase && s.Key == key).Select(s => s.Id).SingleAsync();
        }

        var policies = scope.ServiceProvider.GetRequiredService<PolicyService>();
        var draft = await policies.CreateDraftAsync(author, scopeId);
        await policies.SaveDraftAsync(author, draft.Id, edit(draft.Document), "Masking for a test.");
        await policies.SubmitAsync(author, draft.Id, null);
        await policies.ApproveAsync(board1, draft.Id, null);
        await policies.ApproveAsync(board2, draft.Id, null);
        return draft.Id;
    }

    /// <summary>The document with its masking section replaced by <paramref name="masking"/> (YAML, starting with <c>masking:</c>; empty for none).</summary>
    public static string WithMasking(string document, string masking)
    {
        var at = document.IndexOf("\nmasking:", StringComparison.Ordinal);
        return (at < 0 ? document : document[..at]).TrimEnd() + "\n\n" + masking;
    }

    /// <summary>A masking section hiding one case field from some roles, revealable by some.</summary>
    public static string Masking(string field, string roles, string? reveal = null) =>
        $"masking:\n  - field: inputs.{field}\n    roles: [{roles}]\n" + (reveal is null ? "" : $"    reveal: [{reveal}]\n");
}

using AgentConsole.Domain.Policies;
using AgentConsole.Web.Policies.Components;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>The policy editor validates as the author types and refuses to submit a broken document.</summary>
public sealed class PolicyEditorTests
{
    private static async Task<(IRenderedComponent<PolicyEditor> Editor, PolicyVersionDetail Draft)> RenderAsync(ComponentTestContext ctx)
    {
        var author = await ctx.Harness.ActorAsync("author");
        var scopeId = await ctx.Harness.WithDbAsync(db => db.PolicyScopes.Where(s => s.Key == "DynamicPricing").Select(s => s.Id).SingleAsync());
        var draft = await ctx.Bunit.Services.GetRequiredService<PolicyService>().CreateDraftAsync(author, scopeId);
        var detail = (await ctx.Bunit.Services.GetRequiredService<PolicyQueries>().VersionAsync(draft.Id))!;
        ctx.RenderPopovers();
        var editor = ctx.Bunit.Render<PolicyEditor>(p => p.Add(c => c.Detail, detail).Add(c => c.Actor, author).Add(c => c.AgentKeys, ["pricing"]));
        return (editor, detail);
    }

    [Fact]
    public async Task ABrokenDocument_ListsEachProblemWithLineAndColumn_AndCannotBeSubmitted()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var (editor, draft) = await RenderAsync(ctx);
        editor.WaitForAssertion(() => Assert.NotNull(editor.Find("[data-testid=valid]")));

        await editor.Find("[data-testid=policy-yaml]").InputAsync(new() { Value = draft.Document.Replace("minConfidence: 0.85", "minConfidence: 1.5", StringComparison.Ordinal) });

        editor.WaitForAssertion(() => Assert.Equal("Line 3, column 18", editor.Find("[data-testid=problem] button").TextContent), TimeSpan.FromSeconds(5));
        Assert.Contains("autoApprove.minConfidence must be at most 1.", editor.Find("[data-testid=problems]").TextContent, StringComparison.Ordinal);
        Assert.True(editor.Find("[data-testid=submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task TheThresholdForm_WritesTheDocument_AndSavingKeepsIt()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var (editor, draft) = await RenderAsync(ctx);
        editor.WaitForAssertion(() => Assert.NotNull(editor.Find("[data-testid=valid]")));

        await editor.Find("input[data-testid=form-min-confidence]").ChangeAsync(new() { Value = "0.8" });
        await editor.Find("[data-testid=form-apply]").ClickAsync(new());
        await editor.Find("textarea[data-testid=change-note]").InputAsync(new() { Value = "Lower the bar." });
        await editor.Find("[data-testid=save-draft]").ClickAsync(new());

        var stored = await ctx.Harness.WithDbAsync(db => db.PolicyVersions.AsNoTracking().SingleAsync(v => v.Id == draft.Summary.Id));
        Assert.Contains("minConfidence: 0.8\n", stored.Document, StringComparison.Ordinal);
        Assert.Equal("Lower the bar.", stored.ChangeNote);
        Assert.Contains("large-discount", stored.Document, StringComparison.Ordinal);
    }
}

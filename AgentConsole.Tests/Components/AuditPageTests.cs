using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Audit.Pages;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Components;

/// <summary>
/// The audit workspace searches from its address: a field that cannot be read is named beside the field and nothing is
/// searched; results link to what they are about, and the downloads carry the same search.
/// </summary>
public sealed class AuditPageTests
{
    private static IRenderedComponent<AuditPage> Open(ComponentTestContext ctx, string address)
    {
        ctx.Bunit.Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return ctx.Bunit.Render<AuditPage>();
    }

    /// <summary>A field with its label and its message.</summary>
    private static AngleSharp.Dom.IElement Field(IRenderedComponent<AuditPage> page, string testId) => page.Find($"[data-testid={testId}]").Closest(".mud-input-control")!;

    [Fact]
    public async Task AMalformedSearch_IsNamedBesideEachField_AndNothingIsSearched()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        await ctx.SignInAsync("auditor");
        ctx.RenderPopovers();

        var page = Open(ctx, "/audit?from=yesterday&entityType=decision&entityId=42");

        page.WaitForAssertion(() => page.Find("[data-testid=search-invalid]"));
        Assert.Contains("'yesterday' is not a date: write 2026-11-30, or 2026-11-30T14:00Z for a time (UTC).",
            Field(page, "search-from").TextContent, StringComparison.Ordinal);
        Assert.Contains("'42' is not a decision id", Field(page, "search-entity-id").TextContent, StringComparison.Ordinal);
        Assert.Equal("true", page.Find("[data-testid=search-from]").GetAttribute("aria-invalid"));
        Assert.Empty(page.FindAll("[data-testid=audit-results]"));
        Assert.Empty(page.FindAll("[data-testid=export-csv]"));
    }

    [Fact]
    public async Task AnActionNoEntryHas_IsNamedBesideTheField_WithTheActionsRecorded()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Typo Search AB"));
        await ctx.SignInAsync("auditor");
        ctx.RenderPopovers();

        var page = Open(ctx, "/audit?action=decision.aproved");

        page.WaitForAssertion(() => page.Find("[data-testid=search-invalid]"));
        var message = Field(page, "search-action").TextContent;
        Assert.Contains("No entry has the action 'decision.aproved'. Actions recorded: ", message, StringComparison.Ordinal);
        Assert.Contains("decision.proposed", message, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=audit-results]"));
    }

    [Theory]
    [InlineData("999999999")]
    [InlineData("7")]
    [InlineData("-3")]
    [InlineData("99999999999999")]
    [InlineData("abc")]
    public async Task APageOutOfRange_ShowsTheNearestPage(string page)
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Far Page AB"));
        await ctx.SignInAsync("auditor");
        ctx.RenderPopovers();

        var rendered = Open(ctx, $"/audit?entityType=decision&entityId={decision.Id}&page={page}");

        rendered.WaitForAssertion(() => rendered.Find("[data-testid=audit-results]"));
        Assert.Contains("decision.proposed", Assert.Single(rendered.FindAll("[data-testid=audit-row]")).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_LinkADecisionToItsLineage_AndTheDownloadsCarryTheSearch()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Audit Page AB"));
        await ctx.SignInAsync("auditor");
        ctx.RenderPopovers();

        var page = Open(ctx, $"/audit?entityType=decision&entityId={decision.Id}");

        page.WaitForAssertion(() => page.Find("[data-testid=audit-results]"));
        var row = Assert.Single(page.FindAll("[data-testid=audit-row]"));
        Assert.Contains("decision.proposed", row.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/decisions/{decision.Id}/lineage", row.QuerySelector("a[data-testid=lineage-link]")!.GetAttribute("href"));
        Assert.Equal($"/api/audit/entries/export?format=csv&entityType=decision&entityId={decision.Id}", page.Find("[data-testid=export-csv]").GetAttribute("href"));
        Assert.Equal($"/api/audit/entries/export?format=jsonl&entityType=decision&entityId={decision.Id}", page.Find("[data-testid=export-jsonl]").GetAttribute("href"));
        Assert.Equal("/audit/verification", page.Find("[data-testid=verification-link]").GetAttribute("href"));
        Assert.Equal("1 entry", page.Find("[data-testid=audit-total]").TextContent);
    }

    [Fact]
    public async Task ARunsEntry_LeadsToItsDecisionsLineage_AndAnActorToEverythingTheyDid()
    {
        await using var ctx = await ComponentTestContext.CreateAsync();
        var decision = await ctx.Harness.ProposeAsync(TestCases.UncertainPricing("Audit Run AB"));
        await ctx.SignInAsync("auditor");
        ctx.RenderPopovers();

        var page = Open(ctx, $"/audit?entityType=run&entityId={decision.RunId}");

        page.WaitForAssertion(() => page.Find("[data-testid=audit-row]"));
        var row = page.Find("[data-testid=audit-row]");
        Assert.Equal($"/decisions/{decision.Id}/lineage", row.QuerySelector("a[data-testid=lineage-link]")!.GetAttribute("href"));
        Assert.Equal("/audit?actor=system", row.QuerySelector("a[title^=Everything]")!.GetAttribute("href"));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AgentConsole.Tests.Infrastructure.Problems;

namespace AgentConsole.Tests.Integration.Decisions;

/// <summary>The console with its demo data, for bulk review over HTTP.</summary>
public sealed class BulkReviewApiHost() : ConsoleHost(new ConsoleFactory());

/// <summary>Bulk review over HTTP: a preview, then one reason for every included item; bad input answers ProblemDetails and changes nothing.</summary>
public sealed class BulkReviewApiTests(BulkReviewApiHost host) : IClassFixture<BulkReviewApiHost>
{
    [Fact]
    public async Task AnOperator_PreviewsAndRejectsSeveralItems_AndBadInputIsRefusedNamingTheField()
    {
        var first = await host.Factory.ProposeAsync(TestCases.UncertainPricing("Api Bulk One AB"));
        var second = await host.Factory.ProposeAsync(TestCases.UncertainPricing("Api Bulk Two AB"));
        var client = await host.Factory.SignInAsync("operator");
        var ids = new[] { first.Id, second.Id };

        var badAction = await ProblemAsync(await client.PostAsJsonAsync("/api/decisions/bulk/preview", new { decisionIds = ids, action = "override" }), HttpStatusCode.BadRequest);
        Assert.Equal(["action"], ErrorFields(badAction));
        var noReason = await ProblemAsync(await client.PostAsJsonAsync("/api/decisions/bulk", new { decisionIds = ids, action = "reject" }), HttpStatusCode.BadRequest);
        Assert.Equal(["reason"], ErrorFields(noReason));
        Assert.Equal(2, await host.Factory.ReadAsync(db => db.Decisions.CountAsync(d => ids.Contains(d.Id) && d.Status == Domain.Decisions.DecisionStatus.Pending)));

        var preview = await client.PostAsJsonAsync("/api/decisions/bulk/preview", new { decisionIds = ids, action = "reject" });
        Assert.Equal(2, (await preview.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("included").GetInt32());

        var outcomes = await (await client.PostAsJsonAsync("/api/decisions/bulk", new { decisionIds = ids, action = "Reject", reason = "Margins below the floor" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(outcomes.EnumerateArray(), o => Assert.Equal("Rejected", o.GetProperty("status").GetString()));

        var auditor = await host.Factory.SignInAsync("auditor");
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync("/api/decisions/bulk/preview", new { decisionIds = ids, action = "approve" })).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Tests.Infrastructure;

namespace AgentConsole.Tests.Integration.Web;

/// <summary>The policy API: the same rules as the console, errors as ProblemDetails. Works on the contract review policy, which no other test routes by.</summary>
[Collection(ConsoleWebCollection.Name)]
public sealed class PoliciesApiTests(ConsoleWebFixture fixture)
{
    private ConsoleFactory Factory => fixture.Factory;

    private static Uri Api(string path) => new(path, UriKind.Relative);

    private static async Task<Guid> ContractScopeAsync(HttpClient client)
    {
        var scopes = await client.GetFromJsonAsync<JsonElement>("/api/policies");
        return scopes.EnumerateArray().Single(s => s.GetProperty("key").GetString() == "ContractReview").GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Validate_ReportsEachProblemWithLineAndColumn()
    {
        var client = await Factory.SignInAsync("author");
        var scope = await ContractScopeAsync(client);

        var response = await client.PostAsJsonAsync(Api($"/api/policies/{scope}/validate"), new { document = "autoApprove:\n  minConfidence: 2\n" });

        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(result.GetProperty("valid").GetBoolean());
        var problems = result.GetProperty("problems").EnumerateArray().ToList();
        Assert.Contains(problems, p => p.GetProperty("line").GetInt32() == 2 && p.GetProperty("column").GetInt32() == 18
            && p.GetProperty("message").GetString() == "autoApprove.minConfidence must be at most 1.");
        Assert.Contains(problems, p => p.GetProperty("message").GetString() == "The document needs 'reviewRequirements'.");
    }

    [Fact]
    public async Task Schema_IsServedForEditors()
    {
        var client = await Factory.SignInAsync("author");

        var schema = await client.GetFromJsonAsync<JsonElement>("/api/policies/schema");

        Assert.Equal("AgentConsole policy document", schema.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Draft_Submit_AndReview_FollowTheSameRulesAsTheConsole()
    {
        var author = await Factory.SignInAsync("author");
        var board = await Factory.SignInAsync("board1");
        var scope = await ContractScopeAsync(author);

        var created = await author.PostAsJsonAsync(Api($"/api/policies/{scope}/drafts"), new { });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = draft.GetProperty("id").GetGuid();

        // An invalid document can be saved as a draft but not submitted.
        var broken = draft.GetProperty("document").GetString()!.Replace("minConfidence: 0.90", "minConfidence: high", StringComparison.Ordinal);
        (await author.PutAsJsonAsync(Api($"/api/policies/versions/{id}"), new { document = broken, changeNote = "Try" })).EnsureSuccessStatusCode();
        var refused = await author.PostAsJsonAsync(Api($"/api/policies/versions/{id}/submit"), new { });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("autoApprove.minConfidence must be a number.", problem.GetProperty("errors").GetProperty("document")[0].GetString(), StringComparison.Ordinal);

        var fixedDocument = broken.Replace("minConfidence: high", "minConfidence: 0.95", StringComparison.Ordinal);
        (await author.PutAsJsonAsync(Api($"/api/policies/versions/{id}"), new { document = fixedDocument, changeNote = "Stricter for contracts." })).EnsureSuccessStatusCode();
        (await author.PostAsJsonAsync(Api($"/api/policies/versions/{id}/submit"), new { })).EnsureSuccessStatusCode();

        // The author cannot review; a board member can, once.
        var byAuthor = await author.PostAsJsonAsync(Api($"/api/policies/versions/{id}/approve"), new { comment = "mine" });
        Assert.Equal(HttpStatusCode.Forbidden, byAuthor.StatusCode);
        var approved = await board.PostAsJsonAsync(Api($"/api/policies/versions/{id}/approve"), new { comment = "Fine" });
        approved.EnsureSuccessStatusCode();
        Assert.Equal(1, (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("approvals").GetInt32());
        var twice = await board.PostAsJsonAsync(Api($"/api/policies/versions/{id}/approve"), new { comment = "Again" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("already approved", (await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var simulation = await board.GetFromJsonAsync<JsonElement>($"/api/policies/versions/{id}/simulation?days=30");
        Assert.Equal(draft.GetProperty("number").GetInt32(), simulation.GetProperty("candidateNumber").GetInt32());
        Assert.Equal(1, simulation.GetProperty("currentNumber").GetInt32());
        Assert.Equal(JsonValueKind.Array, simulation.GetProperty("transitions").ValueKind);
    }
}

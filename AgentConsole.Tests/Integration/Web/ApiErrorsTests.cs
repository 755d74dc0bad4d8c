using System.Net;
using System.Text;
using System.Text.Json;
using AgentConsole.Domain.Agents;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Web;

/// <summary>
/// Malformed API input answers a ProblemDetails naming the parameter, and an unexpected failure a 500 with a
/// trace id — never a stack trace or a source path. Run in Development (what <c>dotnet run</c> starts) and Production.
/// </summary>
public abstract class ApiErrorsTests(ConsoleFactory factory)
{
    private const string Roles = "Operator,SeniorOperator,PolicyAuthor,Admin";
    private static readonly string Decisions = $"/api/queues/{Guid.NewGuid()}/decisions";
    private static readonly string Approve = $"/api/decisions/{Guid.NewGuid()}/approve";
    private static readonly string Simulation = $"/api/policies/versions/{Guid.NewGuid()}/simulation";

    /// <summary>The message of the failure the host is given on <c>GET /api/runs/{id}</c>, with internals that must not leak.</summary>
    public const string Secret = "Cannot open /srv/agentconsole/secret-internals.db (AgentQueries.cs:line 42)";

    private HttpClient Client()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(HeaderSignIn.Header, Roles);
        return client;
    }

    [Fact]
    public Task Query_WithANonNumber_NamesTheParameter() =>
        AssertProblemAsync(Client().GetAsync(Uri($"{Decisions}?minConfidence=abc")), HttpStatusCode.BadRequest, "minConfidence",
            "The query parameter 'minConfidence' has the value 'abc', which is not a number.");

    [Fact]
    public Task Query_WithAnUnknownRisk_NamesTheParameterAndTheValues() =>
        AssertProblemAsync(Client().GetAsync(Uri($"{Decisions}?minRisk=Huge")), HttpStatusCode.BadRequest, "minRisk",
            "The query parameter 'minRisk' has the value 'Huge', which is not one of Low, Medium, High, Critical.");

    [Fact]
    public Task Query_OutOfRangeForAWholeNumber_NamesTheParameter() =>
        AssertProblemAsync(Client().GetAsync(Uri($"{Simulation}?days=999999999999")), HttpStatusCode.BadRequest, "days",
            "The query parameter 'days' has the value '999999999999', which is not a whole number between -2147483648 and 2147483647.");

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public Task Query_OutsideTheDomainsRange_NamesTheParameter(string days) =>
        AssertProblemAsync(Client().GetAsync(Uri($"{Simulation}?days={days}")), HttpStatusCode.BadRequest, "days", "Replay between 1 and 365 days of history.");

    [Fact]
    public Task Body_ThatIsNotJson_SaysWhere() =>
        AssertProblemAsync(Client().PostAsync(Uri(Approve), Json("reason=ok")), HttpStatusCode.BadRequest, "body",
            "The request body is not valid JSON (line 1, position 1).");

    [Fact]
    public Task Body_WithANumberForText_NamesTheJsonPath() =>
        AssertProblemAsync(Client().PostAsync(Uri(Approve), Json("""{"reason": 5}""")), HttpStatusCode.BadRequest, "reason",
            "The JSON body has a value of the wrong type at '$.reason': it must be text.");

    [Fact]
    public Task Body_WithTextForAVersion_NamesTheJsonPath() =>
        AssertProblemAsync(Client().PostAsync(Uri(Approve), Json("""{"reason": "ok", "expectedVersion": "x"}""")), HttpStatusCode.BadRequest, "expectedVersion",
            "The JSON body has a value of the wrong type at '$.expectedVersion': it must be a whole number between -2147483648 and 2147483647.");

    [Fact]
    public Task Body_Missing_WhereOneIsRequired_SaysSo() =>
        AssertProblemAsync(Client().PostAsync(Uri(Approve), Json("")), HttpStatusCode.BadRequest, "body", "This request needs a JSON body.");

    [Fact]
    public async Task Body_AsPlainText_AsksForJson()
    {
        var response = await Client().PostAsync(Uri(Approve), new StringContent("ok", Encoding.UTF8, "text/plain"));

        var problem = await ReadProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Send the body as JSON, with the header Content-Type: application/json.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public Task Body_WithAnObjectExpected_NamesTheJsonPath() =>
        AssertProblemAsync(Client().PostAsync(Uri($"/api/decisions/{Guid.NewGuid()}/override"), Json("""{"values": 5}""")), HttpStatusCode.BadRequest, "values",
            "The JSON body has a value of the wrong type at '$.values': it must be a JSON object.");

    [Fact]
    public async Task UnexpectedFailure_Answers500WithATraceId_AndNoInternals()
    {
        var response = await Client().GetAsync(Uri($"/api/runs/{Guid.NewGuid()}"));

        var problem = await ReadProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.Equal("Unexpected error", problem.GetProperty("title").GetString());
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", problem.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task UnexpectedFailure_ForAClientThatAcceptsOnlyText_ShowsNoInternalsEither()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Uri($"/api/runs/{Guid.NewGuid()}"));
        request.Headers.Accept.ParseAdd("text/plain");

        var response = await Client().SendAsync(request);

        Assert.Equal("Unexpected error", (await ReadProblemAsync(response, HttpStatusCode.InternalServerError)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task SignedOut_Answers401AsAProblem()
    {
        var response = await factory.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(Uri(Decisions));

        Assert.Equal("Sign in first: send a bearer token from the console's sign-in provider, or the sign-in cookie of a console user.", (await ReadProblemAsync(response, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UnknownAddress_Answers404AsAProblem()
    {
        var response = await Client().GetAsync(Uri("/api/nothing-here"));

        Assert.Equal("Nothing exists at this address for your tenant.", (await ReadProblemAsync(response, HttpStatusCode.NotFound)).GetProperty("detail").GetString());
    }

    private static Uri Uri(string path) => new(path, UriKind.Relative);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task AssertProblemAsync(Task<HttpResponseMessage> sending, HttpStatusCode status, string field, string detail)
    {
        var problem = await ReadProblemAsync(await sending, status);
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"errors names '{field}': {problem}");
        Assert.NotEmpty(messages.EnumerateArray());
    }

    private static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        foreach (var internals in new[] { "   at ", ".cs", "Exception", "secret-internals", "Microsoft.AspNetCore", "System." })
        {
            Assert.DoesNotContain(internals, body, StringComparison.Ordinal);
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A host signed in by header, whose run lookup fails with internals in its message.</summary>
    public abstract class Host(string environment) : IAsyncLifetime
    {
        public ConsoleFactory Factory { get; } = new()
        {
            Environment = environment,
            HeaderSignIn = true,
            ReplaceServices = services => services.AddScoped<AgentQueries>(_ => throw new InvalidOperationException(Secret)),
        };

        public Task InitializeAsync()
        {
            Factory.Start();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}

public sealed class DevelopmentHost() : ApiErrorsTests.Host("Development");

public sealed class ProductionHost() : ApiErrorsTests.Host("Production");

public sealed class ApiErrorsInDevelopmentTests(DevelopmentHost host) : ApiErrorsTests(host.Factory), IClassFixture<DevelopmentHost>;

public sealed class ApiErrorsInProductionTests(ProductionHost host) : ApiErrorsTests(host.Factory), IClassFixture<ProductionHost>;

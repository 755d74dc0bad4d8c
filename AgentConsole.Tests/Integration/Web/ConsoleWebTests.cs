using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentConsole.Tests.Infrastructure;

namespace AgentConsole.Tests.Integration.Web;

[CollectionDefinition(Name)]
public sealed class ConsoleWebCollection : ICollectionFixture<ConsoleWebFixture>
{
    public const string Name = "console-web";
}

public sealed class ConsoleWebFixture : IAsyncLifetime
{
    public ConsoleFactory Factory { get; } = new();

    public Task InitializeAsync()
    {
        Factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

[Collection(ConsoleWebCollection.Name)]
public sealed class ConsolePagesTests(ConsoleWebFixture fixture)
{
    private ConsoleFactory Factory => fixture.Factory;

    [Fact]
    public async Task AnyPage_RedirectsToSignIn_WhenSignedOut()
    {
        var client = Factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync(new Uri("/queues", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/account/login?ReturnUrl=%2Fqueues", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("author", "/policies")]
    [InlineData("board1", "/policies")]
    [InlineData("auditor", "/audit")]
    [InlineData("admin", "/admin/users")]
    public async Task EachRole_StartsWhereItsWorkIs(string userName, string landing)
    {
        var client = await Factory.SignInAsync(userName);

        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(landing, response.Headers.Location!.AbsolutePath);
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("senior")]
    public async Task Reviewers_StartAtTheirQueues(string userName)
    {
        var client = await Factory.SignInAsync(userName);

        var page = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/", UriKind.Relative)));

        Assert.Contains("Dynamic pricing — first line", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownAddress_AnswersNotFound_WithTheConsolesPage()
    {
        var client = await Factory.SignInAsync("operator");

        var response = await client.GetAsync(new Uri("/no/such/page", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is nothing at this address.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithAWrongPassword_ShowsAClearMessage()
    {
        var (client, response) = await Factory.PostSignInAsync("operator", "nope");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await client.GetStringAsync(response.Headers.Location);
        Assert.Contains("Unknown user name or wrong password.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueuesPage_ListsTheTenantsQueues_ForAnOperator()
    {
        var client = await Factory.SignInAsync("operator");

        var page = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/queues", UriKind.Relative)));

        Assert.Contains("Dynamic pricing — first line", page, StringComparison.Ordinal);
        Assert.Contains("Partner onboarding — seniors", page, StringComparison.Ordinal);
        Assert.Contains("Contoso Trading", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueuesPage_IsForbidden_ForATrainee()
    {
        var client = await Factory.SignInAsync("trainee");

        var response = await client.GetAsync(new Uri("/queues", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task DecisionPage_ShowsInputsProposalRationaleAndHistory()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Page Test Oy"));
        var client = await Factory.SignInAsync("operator");

        var page = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri($"/decisions/{decision.Id}", UriKind.Relative)));

        Assert.Contains("Discount for Page Test Oy", page, StringComparison.Ordinal);
        Assert.Contains(decision.Rationale, page, StringComparison.Ordinal);
        Assert.Contains("Comparable deals", page, StringComparison.Ordinal);
        Assert.Contains("Proposed", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecisionPage_OfAnotherTenant_SaysItDoesNotExist()
    {
        var decision = await Factory.ProposeAsync(TestCases.UncertainPricing("Hidden Corp"));
        var client = await Factory.SignInAsync("fabrikam");

        var page = await client.GetStringAsync(new Uri($"/decisions/{decision.Id}", UriKind.Relative));

        Assert.Contains("This decision does not exist.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Hidden Corp", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("operator", HttpStatusCode.Forbidden)]
    [InlineData("admin", HttpStatusCode.OK)]
    public async Task HangfireDashboard_IsForAdminsOnly(string userName, HttpStatusCode expected)
    {
        var client = await Factory.SignInAsync(userName);

        var response = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Health_IsReady_WithAnUpToDateDatabase()
    {
        var response = await Factory.CreateClient().GetFromJsonAsync<JsonElement>("/health/ready");

        Assert.Equal("Healthy", response.GetProperty("status").GetString());
    }
}

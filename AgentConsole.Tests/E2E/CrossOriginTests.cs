using System.Net;
using System.Net.Sockets;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Hosting.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>
/// A page served from another port of the console's host — the same site, so the browser sends the signed-in
/// operator's cookie along — opens a WebSocket to the queue hub and tries to subscribe to the tenant's events.
/// From a configured partner origin that works (the cookie rides along, as it would for any page of the site);
/// from any other origin the handshake is refused, and the refusal is logged.
/// </summary>
public sealed class CrossOriginTests : IAsyncLifetime
{
    private readonly int _partnerPort = FreePort();
    private ConsoleFactory _console = default!;
    private WebApplication _partner = default!;
    private WebApplication _foreign = default!;
    private IPlaywright _playwright = default!;
    private IBrowser _browser = default!;

    public async Task InitializeAsync()
    {
        _console = new ConsoleFactory { Kestrel = true, Settings = { ["Security:AllowedOrigins:0"] = $"http://127.0.0.1:{_partnerPort}" } }.Start();
        _partner = await ServeAttackPageAsync(_partnerPort);
        _foreign = await ServeAttackPageAsync(0);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _partner.DisposeAsync();
        await _foreign.DisposeAsync();
        await _console.DisposeAsync();
    }

    [Fact]
    public async Task PageOfAnotherPort_CannotSubscribeWithTheOperatorsCookie_UnlessItsOriginIsAllowed()
    {
        var page = await Chromium.SignedInPageAsync(_browser, _console.ServerAddress, "operator");
        var hub = $"ws://{_console.ServerAddress.Authority}/hubs/queues";

        // The partner's page subscribes with the operator's cookie and receives the tenant's events.
        await page.GotoAsync($"{Origin(_partner)}/attack.html?hub={Uri.EscapeDataString(hub)}");
        await WaitForEventAsync(page, e => e.Contains("\"invocationId\":\"1\"", StringComparison.Ordinal));
        var decision = await _console.ProposeAsync(TestCases.UncertainPricing("Cross Origin Leak AB"));
        await WaitForEventAsync(page, e => e.Contains(decision.Id.ToString(), StringComparison.Ordinal));

        // Any other origin of the same host is refused before the socket opens.
        var foreign = Origin(_foreign);
        await page.GotoAsync($"{foreign}/attack.html?hub={Uri.EscapeDataString(hub)}");
        await WaitForEventAsync(page, e => e.StartsWith("close", StringComparison.Ordinal));
        await _console.ProposeAsync(TestCases.UncertainPricing("Cross Origin Kept AB"));
        await page.WaitForTimeoutAsync(500);

        var events = await EventsAsync(page);
        Assert.DoesNotContain("open", events);
        Assert.DoesNotContain(events, e => e.StartsWith("message", StringComparison.Ordinal));
        Assert.Contains(_console.Logs.Of(SecurityEvents.Category), e => e.EventId.Name == "OriginRefused" && e.Fields["Origin"] == foreign);
        await page.Context.CloseAsync();
    }

    private static async Task WaitForEventAsync(IPage page, Func<string, bool> wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!(await EventsAsync(page)).Any(wanted))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The page saw: {string.Join(" | ", await EventsAsync(page))}");
            await Task.Delay(50);
        }
    }

    private static async Task<string[]> EventsAsync(IPage page) => await page.EvaluateAsync<string[]>("() => window.events ?? []");

    private static string Origin(WebApplication app) => app.Urls.Single().TrimEnd('/');

    /// <summary>A plain web server on loopback whose one page does what a hostile page of the same site would.</summary>
    private static async Task<WebApplication> ServeAttackPageAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/attack.html", () => Results.Content(AttackPage, "text/html"));
        await app.StartAsync();
        return app;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    // Opens the hub's WebSocket directly (no negotiate), speaks SignalR's JSON protocol and subscribes to the tenant.
    private const string AttackPage = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Another site's page</title></head><body>
        <script>
          window.events = [];
          const socket = new WebSocket(new URLSearchParams(location.search).get('hub'));
          socket.onopen = () => { events.push('open'); socket.send('{"protocol":"json","version":1}\u001e'); };
          socket.onmessage = e => {
            for (const message of e.data.split('\u001e').filter(m => m.length > 0)) {
              events.push('message ' + message);
              if (message === '{}') socket.send('{"type":1,"invocationId":"1","target":"SubscribeTenant","arguments":[]}\u001e');
            }
          };
          socket.onerror = () => events.push('error');
          socket.onclose = e => events.push('close ' + e.code);
        </script>
        </body></html>
        """;
}

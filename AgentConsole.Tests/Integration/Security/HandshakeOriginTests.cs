using System.Net;
using AgentConsole.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace AgentConsole.Tests.Integration.Security;

/// <summary>
/// A handshake to the live connections — Blazor's and the queue hub's; negotiate and the WebSocket upgrade — from a
/// page of another origin is refused, even with a signed-in user's cookie; the console's own origin, a configured
/// partner origin and programs that send no Origin are served.
/// </summary>
public sealed class HandshakeOriginTests(PartnerOriginHost host) : IClassFixture<PartnerOriginHost>
{
    private const string Partner = PartnerOriginHost.Partner;

    private ConsoleFactory Factory => host.Factory;

    [Theory]
    [InlineData("/hubs/queues/negotiate?negotiateVersion=1", "http://localhost:8080")]    // another port of the same host
    [InlineData("/hubs/queues/negotiate?negotiateVersion=1", "http://evil.localhost")]    // a subdomain
    [InlineData("/hubs/queues/negotiate?negotiateVersion=1", "https://localhost")]        // another scheme
    [InlineData("/hubs/queues/negotiate?negotiateVersion=1", "null")]                     // a sandboxed or file page
    [InlineData("/_blazor/negotiate?negotiateVersion=1", "http://localhost:8080")]
    public async Task Negotiate_FromAnotherOrigin_IsRefused(string path, string origin)
    {
        using var response = await NegotiateAsync(path, origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Connections from pages of another origin are refused.", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/hubs/queues/negotiate?negotiateVersion=1", "http://localhost")]
    [InlineData("/hubs/queues/negotiate?negotiateVersion=1", "HTTP://LOCALHOST:80")]
    [InlineData("/hubs/queues/negotiate?negotiateVersion=1", Partner)]
    [InlineData("/hubs/queues/negotiate?negotiateVersion=1", null)]
    [InlineData("/_blazor/negotiate?negotiateVersion=1", "http://localhost")]
    public async Task Negotiate_FromTheConsolesOwnOrAnAllowedOrigin_OrWithoutOne_IsServed(string path, string? origin)
    {
        using var response = await NegotiateAsync(path, origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("connectionToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocketUpgrade_FromAnotherOrigin_IsRefused_AndFromItsOwn_Subscribes()
    {
        var cookie = await Factory.AuthCookieAsync("operator");

        var refused = await Record.ExceptionAsync(() => HubSockets.OpenAsync(Factory, cookie, "http://localhost:8080"));
        using var own = await HubSockets.OpenAsync(Factory, cookie, "http://localhost");
        await HubSockets.SendAsync(own, """{"type":1,"invocationId":"1","target":"SubscribeTenant","arguments":[]}""");

        Assert.Contains("403", Assert.IsType<InvalidOperationException>(refused).Message, StringComparison.Ordinal);
        Assert.Contains("\"invocationId\":\"1\"", await HubSockets.ReceiveAsync(own), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DotNetHubClient_WithoutAnOrigin_Connects()
    {
        await using var connection = await Factory.ConnectToQueueHubAsync("operator");

        await connection.InvokeAsync("SubscribeTenant");

        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    private async Task<HttpResponseMessage> NegotiateAsync(string path, string? origin)
    {
        var client = await Factory.SignInAsync("operator");
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await client.SendAsync(request);
    }
}

/// <summary>A console that lets pages of one partner origin open its live connections.</summary>
public sealed class PartnerOriginHost() : ConsoleHost(new ConsoleFactory { Settings = { ["Security:AllowedOrigins:0"] = Partner } })
{
    public const string Partner = "https://partner.example.com";
}

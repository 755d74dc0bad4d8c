using System.Net.WebSockets;
using System.Text;
using AgentConsole.Web.Queues;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>
/// Raw WebSockets to the queue hub through the test server, speaking SignalR's JSON protocol as a browser page would
/// (with an <c>Origin</c> when given one).
/// </summary>
public static class HubSockets
{
    private const char Separator = '\u001e';

    /// <summary>A socket past the SignalR handshake; throws when the upgrade is refused (its message names the status).</summary>
    public static async Task<WebSocket> OpenAsync(ConsoleFactory factory, string cookie, string? origin = null)
    {
        var client = factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            request.Headers.Cookie = cookie;
            if (origin is not null)
            {
                request.Headers.Origin = origin;
            }
        };
        var socket = await client.ConnectAsync(new Uri("ws://localhost" + QueueHub.Path), CancellationToken.None);
        await SendAsync(socket, """{"protocol":"json","version":1}""");
        Assert.Equal("{}", await ReceiveAsync(socket));
        return socket;
    }

    public static Task SendAsync(WebSocket socket, string message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message + Separator), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>The next SignalR message (pings skipped); null when the server closed the socket.</summary>
    public static async Task<string?> ReceiveAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var text = new StringBuilder();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
            while (!result.EndOfMessage);

            if (text.ToString().Split(Separator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(m => m != """{"type":6}""") is { } message)
            {
                return message;
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>One post a receiver got: its Standard Webhooks headers, body, and whether the signature checked out.</summary>
public sealed record ReceivedPost(string Id, string Timestamp, string Signature, string Body, bool SignatureValid, int Answered)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// A real HTTP receiver (Kestrel on a loopback port) that checks each post's signature with the StandardWebhooks library,
/// keeps what it got, and answers with the status codes a test chooses (200 by default).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedPost> Posts { get; } = new();

    /// <summary>The answer to the n-th post (from 1); 200 by default.</summary>
    public Func<int, HttpStatusCode> Answer { get; set; } = _ => HttpStatusCode.OK;

    /// <summary>How long each post takes to answer, to widen races.</summary>
    public TimeSpan Delay { get; set; }

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync(string secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        var verifier = new StandardWebhook(secret);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            bool valid;
            try
            {
                verifier.Verify(body, http.Request.Headers);
                valid = true;
            }
            catch (Exception)
            {
                valid = false;
            }

            var n = Interlocked.Increment(ref receiver._calls);
            if (receiver.Delay > TimeSpan.Zero)
            {
                await Task.Delay(receiver.Delay);
            }

            var answer = (int)receiver.Answer(n);
            receiver.Posts.Enqueue(new ReceivedPost(http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                http.Request.Headers["webhook-signature"].ToString(), body, valid, answer));
            return Results.StatusCode(answer);
        });
        await app.StartAsync();
        receiver.Url = app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

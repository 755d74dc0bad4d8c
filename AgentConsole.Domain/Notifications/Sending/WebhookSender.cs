using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgentConsole.Domain.Notifications.Sending;

/// <summary>
/// Posts a webhook delivery: its JSON body, signed, with <c>webhook-id</c> (the delivery's id, the same on every attempt)
/// and <c>webhook-timestamp</c> (the attempt's time). Redirects are not followed: a receiver answers where it was configured.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;

    public WebhookSender(IOptions<NotificationOptions> options, TimeProvider clock)
    {
        _clock = clock;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = TimeSpan.FromSeconds(options.Value.WebhookTimeoutSeconds),
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("AgentConsole-Webhooks/1.0");
    }

    public async Task<SendOutcome> SendAsync(Delivery delivery, Webhook hook, CancellationToken cancellationToken)
    {
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.MessageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(hook.Secret, delivery.MessageId, timestamp, delivery.Body));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return SendOutcome.Ok(code);
            }

            var error = $"The receiver answered HTTP {code} {response.ReasonPhrase}.";
            // Busy, timed out or broken on its side: worth another try. Anything else it refused means the same next time.
            return code is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500
                ? SendOutcome.Retry(error, code)
                : SendOutcome.GiveUp(error, code);
        }
        catch (HttpRequestException ex)
        {
            return SendOutcome.Retry($"Could not reach the receiver: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendOutcome.Retry($"The receiver did not answer within {_http.Timeout.TotalSeconds:0} s.");
        }
    }

    public void Dispose() => _http.Dispose();
}

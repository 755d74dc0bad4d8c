using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Web.Hosting.Security;

/// <summary>
/// Which other origins the console trusts, and how long browsers remember to use HTTPS (section <c>Security</c>).
/// An origin is a scheme, a host and, unless it is the scheme's default, a port: <c>https://login.example.com</c>.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// Origins besides the console's own (the scheme and host of the request) whose pages may open the console's
    /// live connections — Blazor's <c>/_blazor</c> and the queue hub <c>/hubs/queues</c> (default none). A browser
    /// names the page's origin in the handshake; any other origin is refused with 403.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Origins forms may be sent to, besides the console's own (default none): add the single sign-on provider's
    /// origin when signing in or out redirects a form post there. Becomes part of the policy's <c>form-action</c>.
    /// </summary>
    public string[] FormActionOrigins { get; set; } = [];

    /// <summary>
    /// Origins the console's pages may connect to from script, besides their own (default none; the console needs
    /// none). Becomes part of the policy's <c>connect-src</c>; e.g. <c>ws://localhost:*</c> while using <c>dotnet watch</c>.
    /// </summary>
    public string[] ConnectOrigins { get; set; } = [];

    /// <summary>
    /// How long a browser that reached the console over HTTPS keeps to HTTPS, in days (default 365). Sent as
    /// <c>Strict-Transport-Security</c> on HTTPS answers outside Development; never over plain http.
    /// </summary>
    [Range(1, 730)]
    public int HstsMaxAgeDays { get; set; } = 365;

    /// <summary>Whether a configured origin is one (scheme http or https, a host, an optional port, nothing else).</summary>
    internal static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.AbsolutePath == "/" && !value.EndsWith('/') && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
        && string.IsNullOrEmpty(uri.UserInfo);

    /// <summary>Whether a configured CSP source is one: an origin, possibly with <c>ws</c>/<c>wss</c> and wildcards (<c>https://*.example.com</c>, <c>ws://localhost:*</c>).</summary>
    internal static bool IsSource(string value) =>
        value.Length is > 0 and <= 200 && !value.Any(c => char.IsWhiteSpace(c) || c is ';' or ',' or '\'')
        && (value.StartsWith("https://", StringComparison.Ordinal) || value.StartsWith("http://", StringComparison.Ordinal)
            || value.StartsWith("wss://", StringComparison.Ordinal) || value.StartsWith("ws://", StringComparison.Ordinal));
}

/// <summary>
/// How often a client may sign in and call the API (section <c>Security:RateLimits</c>). A request over the limit
/// answers 429 with <c>Retry-After</c>; nothing it asked for is done.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Security:RateLimits";

    /// <summary>
    /// Sign-in form posts (<c>POST /account/login</c>) per client address and minute (default 10), right or wrong.
    /// The minute starts with the first attempt.
    /// </summary>
    [Range(1, 100_000)]
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>
    /// Checks of certificate verification codes (<c>/certificates/verify?code=</c> and <c>/api/certificates/verify?code=</c>) per
    /// client address and minute (default 10): anyone may check a code, so guessing is held to sign-in's pace.
    /// </summary>
    [Range(1, 100_000)]
    public int CertificateChecksPerMinute { get; set; } = 10;

    /// <summary>
    /// API requests (<c>/api</c>) a caller may send at once (default 100): a token bucket per signed-in user, or
    /// per client address for requests without a user.
    /// </summary>
    [Range(1, 1_000_000)]
    public int ApiBurst { get; set; } = 100;

    /// <summary>API requests per second a caller may keep up after a burst (default 20): the bucket's refill rate.</summary>
    [Range(1, 1_000_000)]
    public int ApiPerSecond { get; set; } = 20;
}

/// <summary>
/// Limits of the console's Blazor circuits — one per open browser tab (section <c>Security:Circuits</c>).
/// The defaults are ASP.NET Core's, written down.
/// </summary>
public sealed class CircuitLimitOptions
{
    public const string Section = "Security:Circuits";

    /// <summary>Disconnected circuits kept in memory for a reconnect (default 100); the oldest go first.</summary>
    [Range(0, 100_000)]
    public int DisconnectedCircuitMaxRetained { get; set; } = 100;

    /// <summary>How long a disconnected circuit waits for its browser to come back, in seconds (default 180).</summary>
    [Range(1, 3600)]
    public int DisconnectedCircuitRetentionSeconds { get; set; } = 180;

    /// <summary>How long the server waits for a call into the browser's JavaScript, in seconds (default 60).</summary>
    [Range(1, 600)]
    public int JSInteropTimeoutSeconds { get; set; } = 60;

    /// <summary>Render batches a circuit sends ahead of the browser's acknowledgement (default 10); then it waits.</summary>
    [Range(1, 1000)]
    public int MaxBufferedUnacknowledgedRenderBatches { get; set; } = 10;
}

/// <summary>
/// Limits of the SignalR connections: Blazor's (<c>/_blazor</c>) and the queue hub's (<c>/hubs/queues</c>)
/// (section <c>Security:Hubs</c>). A message over its size limit closes that connection.
/// </summary>
public sealed class HubLimitOptions
{
    public const string Section = "Security:Hubs";

    /// <summary>The largest message a browser may send on its Blazor circuit, in bytes (default 32768, ASP.NET Core's).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int BlazorMaximumReceiveMessageBytes { get; set; } = 32 * 1024;

    /// <summary>The largest message a queue hub client may send, in bytes (default 8192; its calls carry a queue id).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int QueueHubMaximumReceiveMessageBytes { get; set; } = 8 * 1024;

    /// <summary>Hub calls a connection may have running at once, on either hub (default 1); more wait their turn.</summary>
    [Range(1, 64)]
    public int MaximumParallelInvocationsPerClient { get; set; } = 1;

    /// <summary>
    /// How often the server pings an idle connection, in seconds (default 15). At most 15: browsers and the .NET
    /// client give up on a server silent for 30 s.
    /// </summary>
    [Range(1, 15)]
    public int KeepAliveSeconds { get; set; } = 15;

    /// <summary>
    /// How long the server waits to hear from a client before it closes the connection, in seconds (default 30).
    /// At least 30: clients ping every 15 s.
    /// </summary>
    [Range(30, 600)]
    public int ClientTimeoutSeconds { get; set; } = 30;

    /// <summary>How long a new connection may take to send its handshake, in seconds (default 15).</summary>
    [Range(1, 120)]
    public int HandshakeTimeoutSeconds { get; set; } = 15;
}

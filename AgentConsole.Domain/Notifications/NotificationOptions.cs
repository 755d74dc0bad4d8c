using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Domain.Notifications;

/// <summary>Notifications and their delivery by e-mail and webhooks (section <c>Notifications</c>).</summary>
public sealed class NotificationOptions : IValidatableObject
{
    public const string Section = "Notifications";

    /// <summary>The console's public address (e.g. <c>https://console.example.com</c>), for links in e-mails and webhooks. Default empty: links are paths.</summary>
    public string ConsoleUrl { get; set; } = "";

    /// <summary>The SMTP server e-mails go through; with no <see cref="SmtpOptions.Host"/>, e-mail is switched off.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Attempts per delivery before it is recorded as failed. Default 6.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait after the first failed attempt; each next wait is three times longer (10 s, 30 s, 90 s, …). Default 10.</summary>
    [Range(0, 3_600)]
    public int FirstRetrySeconds { get; set; } = 10;

    /// <summary>How long one webhook post may take. Default 10.</summary>
    [Range(1, 120)]
    public int WebhookTimeoutSeconds { get; set; } = 10;

    /// <summary>Days a notification and a finished delivery are kept (the hourly <c>purge-notifications</c> job deletes older ones). Default 90.</summary>
    [Range(1, 3_650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Webhook URLs may be plain http (set for Development by the host; https is required everywhere else).</summary>
    public bool AllowHttpWebhooks { get; set; }

    /// <summary>Whether e-mail can be sent: an SMTP host is configured.</summary>
    public bool EmailEnabled => !string.IsNullOrWhiteSpace(Smtp.Host);

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1, after <paramref name="attempt"/> failed ones.</summary>
    public TimeSpan RetryDelay(int attempt) => TimeSpan.FromSeconds(FirstRetrySeconds * Math.Pow(3, Math.Max(0, attempt - 1)));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EmailEnabled && string.IsNullOrWhiteSpace(Smtp.From))
        {
            yield return new ValidationResult("Notifications:Smtp:From must be set when Notifications:Smtp:Host is: the address e-mails come from.", [nameof(Smtp)]);
        }

        if (Smtp.Port is < 1 or > 65_535)
        {
            yield return new ValidationResult($"Notifications:Smtp:Port ({Smtp.Port}) must be between 1 and 65535.", [nameof(Smtp)]);
        }

        if (!string.IsNullOrEmpty(ConsoleUrl) && !Uri.TryCreate(ConsoleUrl, UriKind.Absolute, out _))
        {
            yield return new ValidationResult($"Notifications:ConsoleUrl ('{ConsoleUrl}') must be an absolute URL, e.g. https://console.example.com.", [nameof(ConsoleUrl)]);
        }
    }
}

/// <summary>The SMTP server (section <c>Notifications:Smtp</c>).</summary>
public sealed class SmtpOptions
{
    /// <summary>The server's host name. Default empty: e-mail is switched off and the settings page says so.</summary>
    public string Host { get; set; } = "";

    /// <summary>The server's port. Default 587.</summary>
    public int Port { get; set; } = 587;

    /// <summary>The sender address, e.g. <c>AgentConsole &lt;console@example.com&gt;</c>.</summary>
    public string From { get; set; } = "";

    /// <summary>The user to sign in as; empty: no sign-in.</summary>
    public string User { get; set; } = "";

    /// <summary>The password for <see cref="User"/>.</summary>
    public string Password { get; set; } = "";

    /// <summary>Require TLS (STARTTLS, or TLS from the start on port 465). Default true.</summary>
    public bool UseTls { get; set; } = true;
}

using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AgentConsole.Domain.Notifications.Sending;

/// <summary>Sends e-mail deliveries through the configured SMTP server (MailKit); the delivery's id is the message's Message-ID.</summary>
public sealed class EmailSender(IOptions<NotificationOptions> options)
{
    public async Task<SendOutcome> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        if (!options.Value.EmailEnabled)
        {
            return SendOutcome.GiveUp("E-mail is switched off: no SMTP server is configured (Notifications:Smtp:Host).");
        }

        var message = new MimeMessage { Subject = delivery.Subject, MessageId = $"{delivery.MessageId}@agentconsole" };
        message.From.Add(MailboxAddress.Parse(smtp.From));
        message.To.Add(MailboxAddress.Parse(delivery.Target));
        message.Headers.Add("X-AgentConsole-Delivery", delivery.MessageId);
        message.Body = new TextPart("plain") { Text = delivery.Body };
        using var client = new SmtpClient();
        try
        {
            var security = !smtp.UseTls ? SecureSocketOptions.None : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
            await client.ConnectAsync(smtp.Host, smtp.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(smtp.User))
            {
                await client.AuthenticateAsync(smtp.User, smtp.Password, cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return SendOutcome.Ok();
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted)
        {
            return SendOutcome.GiveUp($"The SMTP server refused it: {(int)ex.StatusCode} {ex.Message}", (int)ex.StatusCode);
        }
        catch (SmtpCommandException ex)
        {
            return SendOutcome.Retry($"The SMTP server answered {(int)ex.StatusCode}: {ex.Message}", (int)ex.StatusCode);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or ServiceNotConnectedException or AuthenticationException or IOException or System.Net.Sockets.SocketException)
        {
            return SendOutcome.Retry($"Could not send through {smtp.Host}:{smtp.Port}: {ex.Message}");
        }
    }
}

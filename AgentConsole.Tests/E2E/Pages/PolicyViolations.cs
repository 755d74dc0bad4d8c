using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E.Pages;

/// <summary>
/// Everything a browser profile reports against the page's Content-Security-Policy — <c>securitypolicyviolation</c>
/// events and the console messages the browser writes for blocked content — and every uncaught page error.
/// </summary>
public sealed class PolicyViolations
{
    private readonly ConcurrentQueue<string> _reports = new();

    public IReadOnlyList<string> Reports => [.. _reports];

    /// <summary>Watches every page of the profile, from before its first script runs.</summary>
    public static async Task<PolicyViolations> WatchAsync(IBrowserContext context)
    {
        var violations = new PolicyViolations();
        await context.ExposeFunctionAsync<string, bool>("reportPolicyViolation", report =>
        {
            violations._reports.Enqueue(report);
            return true;
        });
        await context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
                window.reportPolicyViolation(`securitypolicyviolation on ${location.pathname}: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sample})`));
            """);
        context.Page += (_, page) => violations.Attach(page);
        foreach (var page in context.Pages)
        {
            violations.Attach(page);
        }

        return violations;
    }

    private void Attach(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning"
                && (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Refused to", StringComparison.Ordinal)))
            {
                _reports.Enqueue($"console {message.Type} on {page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => _reports.Enqueue($"page error on {page.Url}: {error}");
    }
}

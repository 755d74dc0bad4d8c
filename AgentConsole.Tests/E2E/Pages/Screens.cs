using AgentConsole.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E.Pages;

/// <summary>Screenshots for a person to look at, written to <c>artifacts/screens/</c> when <c>AGENTCONSOLE_SCREENSHOTS</c> is set.</summary>
public static class Screens
{
    public static async Task SaveAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("AGENTCONSOLE_SCREENSHOTS") is not { Length: > 0 })
        {
            return;
        }

        var directory = Path.Combine(TestPaths.RepositoryRoot, "artifacts", "screens");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }
}

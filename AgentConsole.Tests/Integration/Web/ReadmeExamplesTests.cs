using System.Diagnostics;
using System.Text.RegularExpressions;
using AgentConsole.Tests.Infrastructure;

namespace AgentConsole.Tests.Integration.Web;

/// <summary>
/// The README's "API examples" run, as written, with bash, curl and jq against a real console on a port:
/// every example a reader copies works.
/// </summary>
public sealed partial class ReadmeExamplesTests : IAsyncLifetime
{
    private const string Begin = "<!-- api-examples:begin -->";
    private const string End = "<!-- api-examples:end -->";

    private ConsoleFactory Factory { get; } = new() { Kestrel = true };

    public Task InitializeAsync()
    {
        Factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    /// <summary>The bash blocks between the section's markers, in order.</summary>
    public static IReadOnlyList<string> Examples()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        var begin = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"README.md marks its API examples with {Begin} and {End}.");
        return [.. BashBlock().Matches(readme[begin..end]).Select(m => m.Groups["code"].Value)];
    }

    [Fact]
    public void Examples_CoverTheApiAClientNeeds()
    {
        var examples = string.Join("\n", Examples());

        foreach (var needed in new[]
                 {
                     "__RequestVerificationToken", "X-Requested-With", "/api/agents/pricing/runs", "Idempotency-Key", "/api/runs/", "/api/queues\"",
                     "/decisions?", "sort=age", "/claim", "/approve", "expectedVersion", "/override",
                     "/api/traces", "/lineage", "/api/audit/entries", "export?format=jsonl", "/api/audit/verification",
                 })
        {
            Assert.Contains(needed, examples, StringComparison.Ordinal);
        }

        Assert.All(Regex.Matches(examples, @"(?<!-)\bcurl\b(?<options>[^\n]*)"), m =>
            Assert.True(m.Groups["options"].Value.Contains("-sS", StringComparison.Ordinal), $"Every curl is quiet but shows errors: {m.Value}"));
    }

    [Fact]
    public async Task Examples_RunAgainstARealConsole()
    {
        var script = Path.Combine(Path.GetTempPath(), $"agentconsole-readme-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, "set -euo pipefail\n" + string.Join("\n", Examples()));
        try
        {
            var (exitCode, output) = await RunBashAsync(script, Factory.ServerAddress.ToString().TrimEnd('/'));

            Assert.True(exitCode == 0, $"The README's API examples failed (exit code {exitCode}):\n{output}");
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunBashAsync(string script, string baseUrl)
    {
        var start = new ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["AGENTCONSOLE_URL"] = baseUrl },
        };
        using var bash = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started.");
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await bash.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            throw new TimeoutException($"The README's API examples did not finish within 2 minutes:\n{await stdout}\n{await stderr}");
        }

        return (bash.ExitCode, $"{await stdout}\n{await stderr}");
    }

    [GeneratedRegex("```bash\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}

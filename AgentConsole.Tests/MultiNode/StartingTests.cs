using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using AgentConsole.Tests.Infrastructure;

namespace AgentConsole.Tests.MultiNode;

/// <summary>
/// Starting the console as a newcomer does: on the address they choose, a second console beside
/// the first, and an address another program already holds.
/// </summary>
public sealed class StartingTests : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _directory = TestPaths.NewDirectory("starting");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        TestPaths.TryDelete(_directory);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TwoConsoles_RunSideBySide_EachOnItsOwnAddress_WithItsOwnData_AndDecisionsArrive()
    {
        var first = NodeProcess.LoopbackAddress();
        var second = NodeProcess.LoopbackAddress();
        var firstData = Directory.CreateDirectory(Path.Combine(_directory, "first")).FullName;
        var secondCopy = Directory.CreateDirectory(Path.Combine(_directory, "second")).FullName;

        // The README's command with --urls; settings from the environment win over the launch profile.
        await using var a = NodeProcess.DotnetRunWeb("first", ["--urls", Text(first)], new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(firstData, "agentconsole.db")}",
            ["Jobs:ConnectionString"] = Path.Combine(firstData, "hangfire.db"),
            ["Demo:HistoryDecisions"] = "0",
        }, first);

        // A second copy started in its own folder, its address from ASPNETCORE_URLS, its data in data/ there (the default).
        await using var b = NodeProcess.StartWebIn("second", secondCopy, new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = Text(second),
            ["Demo:HistoryDecisions"] = "0",
        }, second);

        await Task.WhenAll(a.WaitUntilReadyAsync(StartTimeout), b.WaitUntilReadyAsync(StartTimeout));

        Assert.Contains($"AgentConsole is ready: open {Text(first)}", a.Output, StringComparison.Ordinal);
        Assert.Contains($"AgentConsole is ready: open {Text(second)}", b.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(firstData, "agentconsole.db")));
        Assert.True(File.Exists(Path.Combine(secondCopy, "data", "agentconsole.db")));

        // Each console's own feed brings decisions to its operators.
        await WaitForPendingDecisionsAsync(a);
        await WaitForPendingDecisionsAsync(b);
    }

    [Fact]
    public async Task AnAddressAlreadyInUse_StopsTheConsole_WithOneLineThatSaysWhatToDo()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = NodeProcess.LoopbackAddress(((IPEndPoint)holder.LocalEndpoint).Port);

        await using var node = NodeProcess.StartWebIn("console", _directory, new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = Text(taken),
            ["Demo:Feed"] = "false",
        }, taken);
        var exitCode = await node.WaitForExitAsync(StartTimeout);

        Assert.Equal(1, exitCode);
        Assert.Contains($"AgentConsole cannot start: {Text(taken)} is already in use", node.Output, StringComparison.Ordinal);
        Assert.Contains("--urls", node.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", node.Output, StringComparison.Ordinal);
    }

    private static string Text(Uri address) => address.ToString().TrimEnd('/');

    private static async Task WaitForPendingDecisionsAsync(NodeProcess node)
    {
        using var client = await NodeClients.SignedInClientAsync(node, "operator");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var queues = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/queues", UriKind.Relative));
            if (queues.EnumerateArray().Any(q => q.GetProperty("pending").GetInt32() > 0))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{node.Name} showed no pending decision within 30 s:\n{node.Output}");
            await Task.Delay(250);
        }
    }
}

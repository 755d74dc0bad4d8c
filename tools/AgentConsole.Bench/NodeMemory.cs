using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AgentConsole.Tests.Infrastructure;

namespace AgentConsole.Bench;

/// <summary>A node's memory, as the benchmarks measure it: its live managed heap and its resident set.</summary>
internal sealed partial record NodeMemory(long ManagedBytes, long ResidentBytes)
{
    /// <summary>The managed heap after a full collection (dotnet-gcdump forces one) and the resident set of a node.</summary>
    public static async Task<NodeMemory> MeasureAsync(NodeProcess node)
    {
        var dump = Path.Combine(Path.GetTempPath(), $"agentconsole-{Guid.NewGuid():N}.gcdump");
        await RunToolAsync($"tool run dotnet-gcdump collect -p {node.ProcessId} -o {dump}");
        var report = await RunToolAsync($"tool run dotnet-gcdump report {dump}");
        File.Delete(dump);
        var match = HeapBytes().Match(report);
        var managed = match.Success ? long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : throw new InvalidOperationException($"No heap size in:\n{report}");
        return new NodeMemory(managed, Resident(node.ProcessId));
    }

    /// <summary>The resident set of a process now (from /proc), 0 once it has gone.</summary>
    public static long Resident(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task<string> RunToolAsync(string arguments)
    {
        var info = new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestPaths.RepositoryRoot };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"dotnet {arguments} failed: {output}{await process.StandardError.ReadToEndAsync()}");
    }

    [GeneratedRegex(@"([\d,]+)\s+GC Heap bytes")]
    private static partial Regex HeapBytes();
}

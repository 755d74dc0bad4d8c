using System.Diagnostics;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;

namespace AgentConsole.Tests.Integration.Audit;

/// <summary>Alone, so the memory it reads is its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AuditExportStreamingCollection
{
    public const string Name = "audit-export-streaming";
}

/// <summary>
/// An export is written while it is read from the database: its first rows arrive long before its last, and the
/// host's memory stays bounded while 200,000 entries — far more bytes than the bound — go through it.
/// </summary>
[Collection(AuditExportStreamingCollection.Name)]
public sealed class AuditExportStreamingTests(AuditExportStreamingTests.Host host) : IClassFixture<AuditExportStreamingTests.Host>
{
    private const int Entries = 200_000;
    private const long MemoryBound = 24L * 1024 * 1024;

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    public async Task AnExportOf200000Entries_StartsArrivingAtOnce_AndKeepsTheHostsMemoryBounded(string format)
    {
        var client = await host.Factory.SignInAsync("auditor");
        var baseline = HeapAfterCollection();
        var clock = Stopwatch.StartNew();

        using var response = await client.GetAsync(new Uri($"/api/audit/entries/export?format={format}&action=stream-test.*", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long bytes = 0, lines = 0, peak = 0;
        TimeSpan? firstRow = null;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            var before = lines;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            var rows = format == "csv" ? lines - 1 : lines;
            firstRow ??= rows > 0 ? clock.Elapsed : null;
            if (rows / 25_000 != (format == "csv" ? before - 1 : before) / 25_000)
            {
                peak = Math.Max(peak, HeapAfterCollection() - baseline);
            }
        }

        var total = clock.Elapsed;
        Assert.Equal(Entries + (format == "csv" ? 1 : 0), lines);
        Assert.True(bytes > 2 * MemoryBound, $"The export ({bytes / 1048576} MB) must be much larger than the memory bound for this test to mean anything.");
        Assert.True(firstRow < total / 4, $"The first row arrived after {firstRow?.TotalMilliseconds:0} ms of {total.TotalMilliseconds:0} ms: the export was gathered before it was sent.");
        Assert.True(peak < MemoryBound, $"The host's heap grew by {peak / 1048576} MB while exporting {bytes / 1048576} MB.");
    }

    private static long HeapAfterCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>The real host with 200,000 audit entries written straight to its database.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public ConsoleFactory Factory { get; } = new();

        public async Task InitializeAsync()
        {
            Factory.Start();
            var actor = Actor.User(DemoData.DeterministicId("stream-test"), "Stream Tester", DemoData.ContosoId, [Roles.Operator]);
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            for (var batch = 0; batch < Entries / 10_000; batch++)
            {
                await AuditEntries.WriteAsync(Factory.Services, DemoData.ContosoId, [.. Enumerable.Range(batch * 10_000, 10_000).Select(i =>
                    AuditEntry.Record(actor, "stream-test.approved", "decision", Guid.NewGuid().ToString(),
                        $"Reason {i}: matches the policy, \"checked\" twice — ok", new { status = "InReview", version = i }, new { status = "Approved", version = i + 1 }, start.AddSeconds(i)))]);
            }
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}

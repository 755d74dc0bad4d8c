namespace AgentConsole.Bench.Drills;

/// <summary>Fault drills against a scaled-out installation.</summary>
internal static class FaultDrills
{
    public static Task<bool> RunAsync(Report report, string which, bool quick)
    {
        report.Note($"drill {which} (quick: {quick}) is not written yet");
        return Task.FromResult(false);
    }
}

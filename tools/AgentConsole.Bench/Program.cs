using AgentConsole.Bench;
using AgentConsole.Bench.Benchmarks;
using AgentConsole.Bench.Drills;
using AgentConsole.Tests.Infrastructure;

// AgentConsole's benchmarks and fault drills (see the README). Each run prints a table and writes it to artifacts/.
//   bench [--quick] [--only abcdefghijklmnopqr]            throughput, latency, approvals with operators, memory per circuit, policy evaluation and simulation,
//                                                     span ingestion and tracing overhead, a 1,000-span trace view, audit verification, audit export memory,
//                                                     the certification gate and certificate checks (k),
//                                                     training scoring and scenario generation (l),
//                                                     calibration: gold item seeding, gold answers and the dashboard (m),
//                                                     the SLA sweep over 100,000 open decisions (n),
//                                                     the circuit breaker's check per resolution and its window aggregate (o),
//                                                     a queue of 100,000 pending decisions read a page at a time, and J/K (p),
//                                                     live notifications: the bell's count over 100,000 pending, an assignment with its notification (q),
//                                                     four-eyes verdicts: one of those needed, and the last one that disagrees (r)
//   drill kill-worker|postgres-down|redis-down|all    fault drills against a scaled-out installation
//   serve-bare-signalr URL [REDIS PREFIX]             a bare SignalR baseline server (started by the latency benchmark)
var command = args.FirstOrDefault() ?? "bench";
var quick = args.Contains("--quick");
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
bool Runs(string part) => only is null || only.Contains(part, StringComparison.Ordinal);
var output = Path.Combine(TestPaths.RepositoryRoot, "artifacts", command == "drill" ? "drills" : "bench");

switch (command)
{
    case "serve-bare-signalr":
        await BareSignalRServer.RunAsync(args[1], args.ElementAtOrDefault(2), args.ElementAtOrDefault(3));
        return 0;

    case "bench":
        {
            var report = new Report("AgentConsole benchmarks");
            if (Runs("a"))
            {
                await ThroughputBenchmark.RunAsync(report, TestEngine.Sqlite, quick ? 300 : 2000);
                await ThroughputBenchmark.RunAsync(report, TestEngine.PostgreSql, quick ? 300 : 2000);
            }

            if (Runs("b"))
            {
                await LatencyBenchmark.RunAsync(report, quick ? 100 : 400);
            }

            if (Runs("c") || Runs("d"))
            {
                await OperatorsBenchmark.RunAsync(report, quick ? 20 : 200, quick ? 40 : 200);
            }

            if (Runs("e") || Runs("f"))
            {
                await PolicyBenchmark.RunAsync(report, quick ? 200_000 : 1_000_000, quick ? 10_000 : 100_000);
            }

            if (Runs("g"))
            {
                await TracingBenchmark.IngestionAsync(report, quick ? 10_000 : 50_000);
                await TracingBenchmark.PipelineAsync(report, quick ? 200 : 400, quick ? 3 : 6);
            }

            if (Runs("h"))
            {
                await TracingBenchmark.RenderAsync(report, 1_000, quick ? 5 : 20);
            }

            if (Runs("i"))
            {
                await AuditVerificationBenchmark.RunAsync(report, quick ? 20_000 : 200_000);
            }

            if (Runs("j"))
            {
                await AuditExportBenchmark.RunAsync(report, quick ? 100_000 : 1_000_000);
            }

            if (Runs("k"))
            {
                await CertificationGateBenchmark.RunAsync(report, quick ? 100 : 500, quick ? 2_000 : 20_000);
            }

            if (Runs("l"))
            {
                await TrainingBenchmark.RunAsync(report, quick ? 20_000 : 200_000, quick ? 20 : 50);
            }

            if (Runs("m"))
            {
                await CalibrationBenchmark.RunAsync(report, quick ? 40 : 200);
            }

            if (Runs("n"))
            {
                await SlaSweepBenchmark.RunAsync(report, quick ? 20_000 : 100_000, quick ? 200 : 1_000);
            }

            if (Runs("o"))
            {
                await CircuitBreakerBenchmark.RunAsync(report, quick ? 5_000 : 40_000, quick ? 100 : 500);
            }

            if (Runs("p"))
            {
                await QueuePageBenchmark.RunAsync(report, quick ? 20_000 : 100_000, quick ? 50 : 200);
            }

            if (Runs("q"))
            {
                await NotificationBenchmark.RunAsync(report, quick ? 20_000 : 100_000, quick ? 100 : 500);
            }

            if (Runs("r"))
            {
                await FourEyesBenchmark.RunAsync(report, quick ? 50 : 200);
            }

            Console.WriteLine($"Written to {report.Write(output)}");
            return 0;
        }

    case "drill":
        {
            var which = args.ElementAtOrDefault(1) ?? "all";
            var report = new Report("AgentConsole fault drills");
            var passed = await FaultDrills.RunAsync(report, which, quick);
            Console.WriteLine($"Written to {report.Write(output)}");
            return passed ? 0 : 1;
        }

    default:
        await Console.Error.WriteLineAsync($"Unknown command '{command}'. Use: bench [--quick] | drill kill-worker|postgres-down|redis-down|all [--quick]");
        return 2;
}

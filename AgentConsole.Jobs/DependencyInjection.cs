using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Jobs.Hosting;
using AgentConsole.Jobs.Pipelines;
using AgentConsole.Jobs.Tenancy;
using AgentConsole.Jobs.Traces;
using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.Options;

namespace AgentConsole.Jobs;

public static class DependencyInjection
{
    /// <summary>
    /// Hangfire with the configured storage, the pipeline jobs and their scheduler, the recurring
    /// maintenance jobs (reconciler, policy activation, expired idempotency keys, expired spans, audit checkpoints, gold items), a Hangfire server when <c>Jobs:RunServer</c> is true, and beside it the live demo (feed and demo colleagues) when enabled.
    /// </summary>
    private static readonly Lock FilterRegistration = new();

    public static IHostApplicationBuilder AddAgentConsoleJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();

        // Storage settings are read when Hangfire is first used, so hosts and tests can override them late.
        // The host's own storage and job activator are registered first: Hangfire would otherwise hand out
        // the process-wide JobStorage.Current and JobActivator.Current, which another host in the same
        // process may have replaced (jobs would then run against that host's services and database).
        services.AddSingleton(sp => HangfireStorage.Create(sp.GetRequiredService<IOptions<JobsOptions>>().Value, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
                .UseStorage(sp.GetRequiredService<JobStorage>());

            // Hangfire keeps filters in a process-wide list: register the trace filter once, however many hosts start here at once.
            lock (FilterRegistration)
            {
                if (!GlobalJobFilters.Filters.Any(f => f.Instance is TraceContextJobFilter))
                {
                    config.UseFilter(new TraceContextJobFilter());
                }
            }
        });

        services.AddHealthChecks().AddCheck<JobStorageHealthCheck>("jobs", tags: ["ready"]);
        services.AddTransient<PipelineJobs>();
        services.AddTransient<Policies.PolicyJobs>();
        services.AddTransient<Idempotency.IdempotencyJobs>();
        services.AddTransient<TraceJobs>();
        services.AddTransient<Audit.AuditJobs>();
        services.AddTransient<Training.TrainingJobs>();
        services.AddTransient<Training.CalibrationJobs>();
        services.AddTransient<Sla.SlaJobs>();
        services.AddTransient<Notifications.NotificationJobs>();
        services.AddHostedService<Notifications.DeliveryKick>();
        services.AddSingleton<JobHandoff>();
        services.AddHostedService(sp => sp.GetRequiredService<JobHandoff>());
        services.AddSingleton<IPipelineScheduler, HangfirePipelineScheduler>();
        services.AddHostedService<RecurringJobsRegistration>();
        if (options.RunServer)
        {
            services.AddHangfireServer((sp, server) =>
            {
                server.WorkerCount = sp.GetRequiredService<IOptions<JobsOptions>>().Value.WorkerCount;
                server.Queues = [PipelineJobs.ExecutionQueue, PipelineJobs.PipelinesQueue, Notifications.NotificationJobs.Queue, PipelineJobs.MaintenanceQueue, "default"];
                server.SchedulePollingInterval = TimeSpan.FromSeconds(5);
            });

            services.AddHostedService<JobServerBanner>();

            // The live demo runs beside the job server, so a scaled-out demo feeds and works its queues once, not once per web node.
            services.AddHostedService<LiveDemoService>();
        }

        return builder;
    }
}

/// <summary>All recurring jobs, registered in one place at start-up.</summary>
internal sealed class RecurringJobsRegistration(IRecurringJobManager recurring, IOptions<Domain.Audit.AuditOptions> audit) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<PipelineJobs>("reconcile-runs", PipelineJobs.MaintenanceQueue, j => j.ReconcileAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<Policies.PolicyJobs>("activate-policies", PipelineJobs.MaintenanceQueue, j => j.ActivateDueAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<Idempotency.IdempotencyJobs>("purge-idempotency-keys", PipelineJobs.MaintenanceQueue, j => j.PurgeExpiredAsync(CancellationToken.None), Cron.Hourly());
        recurring.AddOrUpdate<Training.TrainingJobs>("end-timed-out-exams", PipelineJobs.MaintenanceQueue, j => j.EndTimedOutExamsAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<Sla.SlaJobs>("sla-ladders", PipelineJobs.MaintenanceQueue, j => j.SweepAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<Notifications.NotificationJobs>("send-notifications", Notifications.NotificationJobs.Queue, j => j.SendDueAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<Notifications.NotificationJobs>("purge-notifications", PipelineJobs.MaintenanceQueue, j => j.PurgeExpiredAsync(CancellationToken.None), Cron.Hourly());
        recurring.AddOrUpdate<TraceJobs>("purge-spans", PipelineJobs.MaintenanceQueue, j => j.PurgeExpiredAsync(CancellationToken.None), Cron.Hourly());
        recurring.AddOrUpdate<Audit.AuditJobs>("write-audit-checkpoints", PipelineJobs.MaintenanceQueue, j => j.WriteCheckpointsAsync(CancellationToken.None),
            Audit.AuditJobs.Schedule(audit.Value.CheckpointEveryMinutes));
        recurring.AddOrUpdate<Training.CalibrationJobs>("seed-gold-items", PipelineJobs.MaintenanceQueue, j => j.SeedGoldItemsAsync(CancellationToken.None), Cron.Minutely());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

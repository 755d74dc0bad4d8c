using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Execution;
using AgentConsole.Domain.Idempotency;
using AgentConsole.Domain.Notifications;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Traces;
using AgentConsole.Domain.Training.Certifications;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Tracks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace AgentConsole.Domain;

public static class DependencyInjection
{
    /// <summary>Domain services, the database, the built-in agents and the stored traces' queries.</summary>
    public static IHostApplicationBuilder AddAgentConsoleDomain(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ExecutionOptions>().BindConfiguration(ExecutionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TracesOptions>().BindConfiguration(TracesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddOptions<Queues.Leases.QueueOptions>().BindConfiguration(Queues.Leases.QueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CertificationOptions>().BindConfiguration(CertificationOptions.Section).ValidateOnStart();
        services.AddOptions<Training.Calibration.CalibrationOptions>().BindConfiguration(Training.Calibration.CalibrationOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<CertificationOptions>, CertificationOptionsValidator>();
        var production = builder.Environment.IsProduction();
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations()
            .Validate(o => !(o.Enabled && production), "Demo data and demo sign-in cannot be enabled in Production: set Demo:Enabled to false.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseProvider>();
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddScoped<IAgentConsoleDbFactory, AgentConsoleDbFactory>();

        services.AddSingleton<IDecisionAgent, PartnerOnboardingAgent>();
        services.AddSingleton<IDecisionAgent, DynamicPricingAgent>();
        services.AddSingleton<IDecisionAgent, ContractReviewAgent>();
        services.AddSingleton<IDecisionAgent, InvoicePolicyAgent>();
        services.AddSingleton<AgentRegistry>();
        services.AddSingleton<PolicyCache>();
        services.AddSingleton<CaseMasks>();
        services.TryAddSingleton<IDecisionRouter, PolicyDecisionRouter>();

        services.AddSingleton<DecisionEventBus>();
        services.AddSingleton<SimulatedErpFaults>();
        services.TryAddSingleton<IExecutionConnector, SimulatedErpConnector>();

        services.AddScoped<DecisionService>();
        services.AddScoped<Decisions.Bulk.BulkReview>();
        services.AddScoped<Queues.SavedFilters>();
        services.AddScoped<Training.Calibration.GoldItemSeeding>();
        services.AddScoped<Training.Calibration.CalibrationQueries>();
        services.AddScoped<Training.Calibration.CalibrationClearance>();
        services.AddScoped<DecisionQueries>();
        services.AddScoped<MaskedFieldReveal>();
        services.AddScoped<DecisionLineageQueries>();
        services.AddScoped<QueueQueries>();
        services.AddScoped<AgentQueries>();
        services.AddSingleton<Agents.Pause.AgentPauseEvents>();
        services.AddScoped<Agents.Pause.AgentPauseService>();
        services.AddScoped<Agents.Pause.CircuitBreaker>();
        services.AddScoped<PipelineService>();
        services.AddScoped<ExecutionService>();
        services.AddScoped<CaseFeed>();
        services.AddScoped<DemoColleagues>();
        services.AddSingleton<LiveDemo>();
        services.AddScoped<PolicyService>();
        services.AddScoped<PolicyQueries>();
        services.AddScoped<PolicySimulator>();
        services.AddScoped<ThresholdAdvisor>();
        services.AddScoped<RunReconciler>();
        services.AddScoped<IdempotencyService>();
        services.AddScoped<TraceQueries>();
        services.AddScoped<SpanRetention>();
        services.AddScoped<AuditQueries>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<AccountSecurityEvents>();
        services.AddSingleton<UserProvisioning>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<TrackAuthoring>();
        services.AddScoped<ScenarioLibrary>();

        services.AddSingleton<CertificateCodes>();
        services.AddScoped<CertificationGrants>();
        services.AddScoped<CertificationRevocation>();
        services.AddScoped<CertificationQueries>();
        services.AddScoped<Training.Sessions.TrainingSessions>();
        services.AddScoped<Training.Sessions.SessionQueries>();
        services.AddSingleton<Training.Sessions.ExamTimeouts>();
        services.AddScoped<Training.Progress.TrainingProgress>();
        services.AddScoped<CertificateVerification>();

        services.AddScoped<Queues.Sla.BusinessCalendars>();
        services.AddScoped<Queues.Sla.SlaLadderRunner>();
        services.AddSingleton<Queues.Sla.SlaSweep>();
        services.AddScoped<Queues.Leases.ClaimLeases>();
        services.AddScoped<Queues.Leases.Assignments>();
        services.AddScoped<Queues.Leases.WorkViews>();

        services.AddSingleton<CheckpointKeys>();
        services.TryAddSingleton<ICheckpointStore, FileCheckpointStore>();
        services.AddSingleton<AuditCheckpoints>();
        services.AddSingleton<AuditVerifier>();
        services.AddScoped<AuditVerificationQueries>();

        builder.AddNotifications();

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }
}

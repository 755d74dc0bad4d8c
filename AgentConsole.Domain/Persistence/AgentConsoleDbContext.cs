using System.Linq.Expressions;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Execution;
using AgentConsole.Domain.Idempotency;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Queues;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Domain.Traces;
using AgentConsole.Domain.Training.Certifications;
using AgentConsole.Domain.Training.Scenarios;
using AgentConsole.Domain.Training.Sessions;
using AgentConsole.Domain.Training.Tracks;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Persistence;

/// <summary>
/// The domain database. The model is provider-neutral; each provider derives a context that owns
/// its migrations. Every tenant-owned entity is filtered by the current tenant. Audit entries are
/// append-only: a save that adds some seals them onto their tenants' chains in its own transaction,
/// and a save that would change or delete one is refused.
/// </summary>
public abstract class AgentConsoleDbContext : DbContext
{
    private readonly ITenantContext _tenant;

    protected AgentConsoleDbContext(DbContextOptions options, ITenantContext tenant)
        : base(options)
    {
        _tenant = tenant;
    }

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<AppUser> Users => Set<AppUser>();

    public DbSet<SignInFailure> SignInFailures => Set<SignInFailure>();

    public DbSet<Agent> Agents => Set<Agent>();

    public DbSet<AgentVersion> AgentVersions => Set<AgentVersion>();

    public DbSet<ReviewQueue> Queues => Set<ReviewQueue>();

    public DbSet<PipelineRun> Runs => Set<PipelineRun>();

    public DbSet<PipelineStep> RunSteps => Set<PipelineStep>();

    public DbSet<Decision> Decisions => Set<Decision>();

    public DbSet<DecisionReview> DecisionReviews => Set<DecisionReview>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();

    public DbSet<AuditVerification> AuditVerifications => Set<AuditVerification>();

    public DbSet<ErpLedgerEntry> ErpLedger => Set<ErpLedgerEntry>();

    public DbSet<PolicyScope> PolicyScopes => Set<PolicyScope>();

    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();

    public DbSet<PolicyApproval> PolicyApprovals => Set<PolicyApproval>();

    public DbSet<PolicyVersionEvent> PolicyVersionEvents => Set<PolicyVersionEvent>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();

    public DbSet<StoredSpan> StoredSpans => Set<StoredSpan>();

    public DbSet<Certification> Certifications => Set<Certification>();

    public DbSet<Queues.Sla.BusinessCalendar> BusinessCalendars => Set<Queues.Sla.BusinessCalendar>();

    public DbSet<Queues.Sla.SlaStepFiring> SlaStepFirings => Set<Queues.Sla.SlaStepFiring>();
    public DbSet<Track> TrainingTracks => Set<Track>();

    public DbSet<Exercise> TrainingExercises => Set<Exercise>();

    public DbSet<Scenario> TrainingScenarios => Set<Scenario>();

    public DbSet<Queues.SavedFilter> SavedFilters => Set<Queues.SavedFilter>();

    public DbSet<TrainingSession> TrainingSessions => Set<TrainingSession>();

    public DbSet<SessionItem> TrainingSessionItems => Set<SessionItem>();
    public DbSet<Training.Calibration.GoldItem> GoldItems => Set<Training.Calibration.GoldItem>();

    public DbSet<Training.Calibration.GoldItemAnswer> GoldItemAnswers => Set<Training.Calibration.GoldItemAnswer>();

    public DbSet<Training.Calibration.CalibrationPause> CalibrationPauses => Set<Training.Calibration.CalibrationPause>();

    public DbSet<global::AgentConsole.Domain.Notifications.Notification> Notifications => Set<global::AgentConsole.Domain.Notifications.Notification>();

    public DbSet<global::AgentConsole.Domain.Notifications.QueueSeenMark> QueueSeenMarks => Set<global::AgentConsole.Domain.Notifications.QueueSeenMark>();

    public DbSet<global::AgentConsole.Domain.Notifications.NotificationPreference> NotificationPreferences => Set<global::AgentConsole.Domain.Notifications.NotificationPreference>();

    public DbSet<global::AgentConsole.Domain.Notifications.Webhook> Webhooks => Set<global::AgentConsole.Domain.Notifications.Webhook>();

    public DbSet<global::AgentConsole.Domain.Notifications.Delivery> Deliveries => Set<global::AgentConsole.Domain.Notifications.Delivery>();

    /// <summary>The tenant queries are filtered by; read by EF on every query.</summary>
    internal Guid CurrentTenantId => _tenant.TenantId ?? Guid.Empty;

    /// <summary>Saves the changes; new audit entries are sealed onto their chains in the same transaction.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var added = AppendOnlyAudit.AddedEntries(ChangeTracker);
        if (added.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        if (Database.CurrentTransaction is not null)
        {
            await AuditSealing.SealAsync(this, added, cancellationToken);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        await AuditSealing.SealAsync(this, added, cancellationToken);
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>Saves changes that add no audit entry; entries are sealed only by <see cref="SaveChangesAsync(bool, CancellationToken)"/>.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (AppendOnlyAudit.AddedEntries(ChangeTracker).Count > 0)
        {
            throw new InvalidOperationException("Audit entries are sealed onto their chain while saving asynchronously: use SaveChangesAsync.");
        }

        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AgentConsoleDbContext).Assembly);
        Configurations.DecisionConfiguration.OpenDecisionIndexes(modelBuilder.Entity<Decisions.Decision>(), QuoteColumn);

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            // Keys are assigned by the domain, so a new child found through a navigation is an insert.
            var key = entity.FindPrimaryKey();
            if (key is { Properties: [{ ClrType: var keyType } keyProperty] } && keyType == typeof(Guid))
            {
                keyProperty.ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
            }

            // Nothing is ever deleted (history and audit are kept), so no delete cascades: this also keeps
            // SQL Server free of multiple cascade paths.
            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.DeleteBehavior = DeleteBehavior.Restrict;
            }

            if (typeof(ITenantOwned).IsAssignableFrom(entity.ClrType))
            {
                entity.SetQueryFilter(TenantFilter(entity.ClrType));
            }
        }
    }

    /// <summary>A column name as this provider's SQL writes it (in index filters).</summary>
    protected virtual string QuoteColumn(string name) => $"\"{name}\"";

    private LambdaExpression TenantFilter(Type type)
    {
        var e = Expression.Parameter(type, "e");
        var tenantId = Expression.Property(e, nameof(ITenantOwned.TenantId));
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentTenantId));
        return Expression.Lambda(Expression.Equal(tenantId, current), e);
    }
}

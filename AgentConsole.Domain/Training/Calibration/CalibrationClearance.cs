using AgentConsole.Domain.Audit;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Domain.Training.Calibration;

/// <summary>A trainer lifts a calibration pause, with a reason that is audited; the person may take those items again at once.</summary>
public sealed class CalibrationClearance(IAgentConsoleDbFactory dbs, TimeProvider clock)
{
    public async Task<PauseView> ClearAsync(Guid pauseId, Actor actor, string? reason, CancellationToken cancellationToken = default)
    {
        if (!actor.Can(Permissions.ManageTraining))
        {
            throw DomainException.Forbidden("calibration.clear-role", "Only trainers clear a calibration pause.");
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > CalibrationPause.MaxReasonLength)
        {
            var message = $"Give the reason for clearing the pause (what the person did since), at most {CalibrationPause.MaxReasonLength} characters.";
            throw DomainException.Invalid("calibration.reason-required", message, new Dictionary<string, string[]> { ["reason"] = [message] });
        }

        await using var db = dbs.Create();
        var pause = await db.CalibrationPauses.SingleOrDefaultAsync(p => p.Id == pauseId && p.TenantId == actor.TenantId, cancellationToken)
            ?? throw DomainException.NotFound("calibration.pause-not-found", "This pause does not exist.");
        var now = clock.GetUtcNow();
        var before = pause.Snapshot();
        pause.Clear(actor, reason.Trim(), now);
        db.AuditEntries.Add(AuditEntry.Record(actor, "calibration.pause-cleared", "person", pause.PersonId, reason.Trim(), before, pause.Snapshot(), now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw DomainException.Conflict("calibration.pause-changed", "This pause was cleared meanwhile by another trainer; reload to see by whom.");
        }

        return PauseView.Of(pause);
    }
}

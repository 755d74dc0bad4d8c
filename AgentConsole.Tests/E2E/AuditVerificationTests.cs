using AgentConsole.Domain.Persistence;
using AgentConsole.Tests.E2E.Pages;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace AgentConsole.Tests.E2E;

/// <summary>
/// An auditor on /audit/verification in a real browser: writes a checkpoint, verifies (intact), an entry is changed in
/// the database behind the console's back, verifies again (the entry and the kind, in words), and sees both runs in the
/// history. People without the permission are refused the page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AuditVerificationTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AnAuditor_VerifiesTheTrail_SeesAnEditedEntryNamed_AndTheHistory()
    {
        var page = await fixture.SignedInPageAsync("auditor");
        var verification = new AuditVerificationPage(page);
        await verification.OpenAsync();

        await verification.WriteCheckpointAsync();
        await verification.VerifyAsync();
        await Assertions.Expect(verification.Latest).ToHaveAttributeAsync("data-outcome", "Intact");
        await Assertions.Expect(verification.Latest).ToContainTextAsync("the chain matches every signed checkpoint");
        await Screens.SaveAsync(page, "audit-intact");

        var entry = await fixture.Factory.ReadAsync(db => db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence).FirstAsync(e => e.Action == "user.signed-in"));
        await SqlAsync($"UPDATE AuditEntries SET ActorName = 'Someone Else' WHERE Id = {entry.Id}");
        try
        {
            await verification.VerifyAsync();

            await Assertions.Expect(verification.Latest).ToHaveAttributeAsync("data-outcome", "Tampered");
            await Assertions.Expect(verification.Findings).ToHaveCountAsync(1);
            await Assertions.Expect(verification.Findings.First).ToHaveAttributeAsync("data-kind", "Edited");
            await Assertions.Expect(verification.Findings.First).ToContainTextAsync($"#{entry.Sequence} · id {entry.Id}");
            await Assertions.Expect(verification.Findings.First).ToContainTextAsync("Its content no longer matches its hash");
            await Assertions.Expect(verification.History.First).ToHaveAttributeAsync("data-outcome", "Tampered");
            await Assertions.Expect(verification.History.Nth(1)).ToHaveAttributeAsync("data-outcome", "Intact");
            await Screens.SaveAsync(page, "audit-tampered");
        }
        finally
        {
            // Put the entry back as it was: the other browser tests share this console.
            await SqlAsync($"UPDATE AuditEntries SET ActorName = '{entry.ActorName.Replace("'", "''", StringComparison.Ordinal)}' WHERE Id = {entry.Id}");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task AnOperator_IsRefusedTheVerificationPage()
    {
        var page = await fixture.SignedInPageAsync("operator");

        await page.EvaluateAsync("() => Blazor.navigateTo('/audit/verification')");

        await Assertions.Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=verify-now]")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    /// <summary>Changes the database directly, past the console, as someone with access to it could.</summary>
    private async Task SqlAsync(string sql)
    {
        var options = fixture.Factory.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        await using var connection = new SqliteConnection(options.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

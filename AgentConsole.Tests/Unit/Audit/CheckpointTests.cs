using System.Text.RegularExpressions;
using AgentConsole.Domain.Audit;
using AgentConsole.Tests.Infrastructure;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentConsole.Tests.Unit.Audit;

/// <summary>Checkpoints as signed notes in the C2SP tlog-checkpoint shape, and what reading one finds.</summary>
public sealed partial class CheckpointTests : IDisposable
{
    private const string Origin = "agentconsole.local/audit/contoso";

    private static readonly byte[] Root = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7))];

    private readonly CheckpointKeys _keys = Keys(TestKeys.CheckpointKey);

    private readonly CheckpointKeys _otherKeys = Keys(TestKeys.OtherCheckpointKey);

    public void Dispose()
    {
        _keys.Dispose();
        _otherKeys.Dispose();
    }

    [Fact]
    public void ASignedCheckpoint_HasTheTlogCheckpointShape_WithTheTimeAsItsOneExtensionLine()
    {
        var note = new Checkpoint(Origin, 1234, Root, new DateTimeOffset(2026, 12, 1, 10, 20, 0, TimeSpan.Zero)).Sign(_keys);

        var match = NoteShape().Match(note);
        Assert.True(match.Success, note);
        Assert.Equal(Convert.ToBase64String(Root), match.Groups["root"].Value);
        var signature = Convert.FromBase64String(match.Groups["signature"].Value);
        Assert.Equal(4 + 64, signature.Length);
        Assert.Equal("a673af73", Convert.ToHexStringLower(signature.AsSpan(0, 4)));
    }

    [Fact]
    public void TheKeyId_IsTheSignedNoteOne_AndTheVerifierKeyItsTextForm()
    {
        Assert.Equal("ebVWLo/mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ=", _keys.PublicKeyBase64);
        Assert.Equal(0xa673af73u, _keys.KeyId(Origin));
        Assert.Equal($"{Origin}+a673af73+" + Convert.ToBase64String([0x01, .. _keys.PublicKey]), _keys.VerifierKey(Origin));
    }

    [Fact]
    public void ReadWithItsKey_ACheckpointIsValid_AndGivesBackWhatWasSigned()
    {
        var time = new DateTimeOffset(2026, 12, 1, 10, 20, 0, 123, TimeSpan.Zero);

        var reading = Checkpoint.Read(new Checkpoint(Origin, 1234, Root, time).Sign(_keys), Origin, _keys);

        Assert.Equal(CheckpointState.Valid, reading.State);
        Assert.Equal((1234L, time), (reading.Checkpoint!.Size, reading.Checkpoint.Time));
        Assert.Equal(Root, reading.Checkpoint.Root);
    }

    [Theory]
    [InlineData("1234\n", "1235\n", "its signature does not match its text")]
    [InlineData("\ntime 2026", "\ntime 2027", "its signature does not match its text")]
    [InlineData("agentconsole.local/audit/contoso\n", "agentconsole.local/audit/fabrikam\n", "its origin is 'agentconsole.local/audit/fabrikam'")]
    [InlineData("\n\n", "\n", "it is not a signed note")]
    public void AChangedCheckpoint_IsForged_SayingWhy(string from, string to, string why)
    {
        var note = new Checkpoint(Origin, 1234, Root, new DateTimeOffset(2026, 12, 1, 10, 20, 0, TimeSpan.Zero)).Sign(_keys);

        var reading = Checkpoint.Read(note.Replace(from, to, StringComparison.Ordinal), Origin, _keys);

        Assert.Equal(CheckpointState.Forged, reading.State);
        Assert.Contains(why, reading.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AChangedRoot_IsForged()
    {
        var note = new Checkpoint(Origin, 1234, Root, DateTimeOffset.UnixEpoch).Sign(_keys);
        byte[] other = [.. Root.Select(b => (byte)(b ^ 1))];

        var reading = Checkpoint.Read(note.Replace(Convert.ToBase64String(Root), Convert.ToBase64String(other), StringComparison.Ordinal), Origin, _keys);

        Assert.Equal(CheckpointState.Forged, reading.State);
    }

    [Fact]
    public void AReplacedSignature_IsForged()
    {
        var note = new Checkpoint(Origin, 1234, Root, DateTimeOffset.UnixEpoch).Sign(_keys);
        var other = new Checkpoint(Origin, 1234, Root, DateTimeOffset.UnixEpoch.AddSeconds(1)).Sign(_keys);

        var reading = Checkpoint.Read(note[..note.LastIndexOf('\u2014')] + other[other.LastIndexOf('\u2014')..], Origin, _keys);

        Assert.Equal(CheckpointState.Forged, reading.State);
    }

    [Fact]
    public void ACheckpointSignedByAnotherKey_IsNotTakenForOne_AndSaysWhichKeySigned()
    {
        var reading = Checkpoint.Read(new Checkpoint(Origin, 1234, Root, DateTimeOffset.UnixEpoch).Sign(_otherKeys), Origin, _keys);

        Assert.Equal(CheckpointState.SignedByOtherKey, reading.State);
        Assert.Contains($"signed only by other keys ({_otherKeys.KeyId(Origin):x8}), not by this key (a673af73)", reading.Problem, StringComparison.Ordinal);
    }

    private static CheckpointKeys Keys(string key) =>
        new(Options.Create(new AuditOptions { CheckpointKey = key }), new HostingEnvironment { EnvironmentName = "Production" }, NullLogger<CheckpointKeys>.Instance);

    [GeneratedRegex("^agentconsole\\.local/audit/contoso\\n1234\\n(?<root>[A-Za-z0-9+/=]{44})\\ntime 2026-12-01T10:20:00\\.000Z\\n\\n\u2014 agentconsole\\.local/audit/contoso (?<signature>[A-Za-z0-9+/=]+)\\n$")]
    private static partial Regex NoteShape();
}

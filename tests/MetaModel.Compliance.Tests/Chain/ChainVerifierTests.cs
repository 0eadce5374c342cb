using System.Text;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Sqlite;
using MetaModel.Compliance.Storage;
using MetaModel.Compliance.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace MetaModel.Compliance.Tests.Chain;

public sealed class ChainVerifierTests : IDisposable
{
    private const string Stream = "s";
    private readonly TestFiles _files = new();
    private readonly string _path;

    public ChainVerifierTests()
    {
        _path = _files.File("log.db");
    }

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Verify_IntactChain_IsValidAndHeadIsLastEntry()
    {
        await using SqliteComplianceLogStore store = await CreateAsync(10);

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.IsValid.Should().BeTrue(string.Join("; ", report.Problems));
        report.EntryCount.Should().Be(10);
        report.Head.Sequence.Should().Be(10);
        List<LogEntry> entries = await LogReading.AllAsync(store, Stream);
        report.Head.Hash.Should().Be(HashChain.ToHex(entries[^1].Hash));
        entries[0].PreviousHash.Should().Equal(new byte[32]);
        entries.Skip(1).Select((e, i) => e.PreviousHash.SequenceEqual(entries[i].Hash)).Should().AllBeEquivalentTo(true);
    }

    [Fact]
    public async Task Verify_PayloadEdited_ReportsEditedAtThatSequenceOnly()
    {
        await using SqliteComplianceLogStore store = await CreateAsync(10);
        Execute("UPDATE entries SET payload = CAST('{\"n\":999}' AS BLOB) WHERE seq = 5");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.IsValid.Should().BeFalse();
        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Sequence == 5 && p.Kind == ChainProblemKind.Edited);
    }

    [Fact]
    public async Task Verify_TimestampEdited_ReportsEdited()
    {
        await using SqliteComplianceLogStore store = await CreateAsync(10);
        Execute("UPDATE entries SET time = time - 86400000 WHERE seq = 3");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.Problems.Should().ContainSingle(p => p.Kind == ChainProblemKind.Edited && p.Sequence == 3);
    }

    [Fact]
    public async Task Verify_EditedAndRehashed_ReportsTheRewrittenEntry()
    {
        await using SqliteComplianceLogStore store = await CreateAsync(10);
        List<LogEntry> entries = await LogReading.AllAsync(store, Stream);
        LogEntry target = entries[4];
        byte[] payload = Encoding.UTF8.GetBytes("{\"n\":999}");
        byte[] hash = new byte[32];
        HashChain.ComputeHash(Stream, target.Timestamp.ToUnixTimeMilliseconds(), target.Kind, payload, target.PreviousHash, hash);
        Execute("UPDATE entries SET payload = $p, hash = $h WHERE seq = 5", ("$p", payload), ("$h", hash));

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Sequence == 5 && p.Kind == ChainProblemKind.Edited);
        report.Problems[0].Message.Should().Contain("Entry 6 does not link to entry 5");
    }

    [Fact]
    public async Task Verify_EntryDeleted_ReportsDeletedAtThatSequence()
    {
        await using SqliteComplianceLogStore store = await CreateAsync(10);
        Execute("DELETE FROM entries WHERE seq = 4");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Sequence == 4 && p.Kind == ChainProblemKind.Deleted);
    }

    [Fact]
    public async Task Verify_LastEntriesDeleted_ReportsTruncated()
    {
        await using SqliteComplianceLogStore store = await CreateAsync(10);
        Execute("DELETE FROM entries WHERE seq > 8");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Sequence == 9 && p.Kind == ChainProblemKind.Truncated);
    }

    [Fact]
    public async Task Verify_EntryInsertedAndLaterOnesRenumbered_ReportsInsertedAtThatSequence()
    {
        await using SqliteComplianceLogStore store = await CreateAsync(10);
        List<LogEntry> entries = await LogReading.AllAsync(store, Stream);
        byte[] payload = Encoding.UTF8.GetBytes("{\"n\":-1}");
        byte[] hash = new byte[32];
        long time = entries[3].Timestamp.ToUnixTimeMilliseconds();
        HashChain.ComputeHash(Stream, time, LogEntryKind.Decision, payload, entries[3].Hash, hash);
        Execute("UPDATE entries SET seq = seq + 1000 WHERE seq >= 5; UPDATE entries SET seq = seq - 999 WHERE seq >= 1000;");
        Execute(
            "INSERT INTO entries (stream, seq, time, kind, payload, prev_hash, hash) VALUES ('s', 5, $t, 1, $p, $prev, $h);" +
            "UPDATE streams SET head_seq = 11;",
            ("$t", time),
            ("$p", payload),
            ("$prev", entries[3].Hash),
            ("$h", hash));

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Sequence == 5 && p.Kind == ChainProblemKind.Inserted);
    }

    [Fact]
    public async Task Verify_TwoEntriesSwapped_ReportsReordered()
    {
        await using SqliteComplianceLogStore store = await CreateAsync(10);
        Execute(
            "UPDATE entries SET seq = -6 WHERE seq = 6; UPDATE entries SET seq = 6 WHERE seq = 7; UPDATE entries SET seq = 7 " +
            "WHERE seq = -6;");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Kind == ChainProblemKind.Reordered && p.Sequence == 6);
    }

    [Fact]
    public async Task Verify_InMemoryStoreReordered_ReportsReordered()
    {
        var store = new InMemoryComplianceLogStore();
        _ = await store.AppendAsync(Stream, Pending(6));
        store.Tamper(Stream, list =>
        {
            (LogEntry a, LogEntry b) = (list[2], list[3]);
            list[2] = b with { Sequence = 3 };
            list[3] = a with { Sequence = 4 };
        });

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.Problems.Should().ContainSingle(p => p.Kind == ChainProblemKind.Reordered && p.Sequence == 3);
    }

    [Fact]
    public async Task Verify_AnchoredHead_MatchesUntilTheChainIsRewritten()
    {
        await using SqliteComplianceLogStore store = await CreateAsync(10);
        ChainHead anchor = ChainHead.Parse((await ChainVerifier.VerifyAsync(store, Stream)).Head.ToJson());
        _ = await store.AppendAsync(Stream, Pending(3));

        (await ChainVerifier.VerifyAsync(store, Stream, anchor)).IsValid.Should().BeTrue();

        // Someone with write access rewrites entry 10 and every entry after it consistently: only the anchor shows it.
        await RewriteFromAsync(store, 10);
        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream, anchor);
        report.Problems.Should().ContainSingle().Which.Kind.Should().Be(ChainProblemKind.AnchorMismatch);
        report.Problems[0].Sequence.Should().Be(10);
    }

    [Fact]
    public async Task HeadExport_RoundTripsThroughJson()
    {
        var head = new ChainHead("s", 42, new string('a', 64), Records.Start);

        ChainHead parsed = ChainHead.Parse(head.ToJson());

        parsed.Should().Be(head);
        FluentActions.Invoking(() => ChainHead.Parse("{\"stream\":\"s\"}")).Should().Throw<FormatException>();
    }

    [Fact]
    public async Task Retention_DeletesOldPrefix_RemainingChainVerifiesFromCheckpoint()
    {
        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(_path);
        _ = await store.AppendAsync(Stream, Pending(5, Records.Start.AddDays(-40)));
        _ = await store.AppendAsync(Stream, Pending(5, Records.Start));
        List<LogEntry> before = await LogReading.AllAsync(store, Stream);

        RetentionResult result = await store.DeleteBeforeAsync(Stream, Records.Start.AddDays(-30), Records.Start.AddHours(1));

        result.DeletedCount.Should().Be(5);
        result.Checkpoint.Sequence.Should().Be(5);
        result.Checkpoint.Hash.Should().Be(HashChain.ToHex(before[4].Hash));
        List<LogEntry> after = await LogReading.AllAsync(store, Stream);
        after.Select(e => e.Sequence).Should().Equal(6, 7, 8, 9, 10, 11);
        after[^1].Kind.Should().Be(LogEntryKind.Retention);
        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);
        report.IsValid.Should().BeTrue(string.Join("; ", report.Problems));
        report.Checkpoint.Sequence.Should().Be(5);
    }

    [Fact]
    public async Task Retention_ThenPrefixDeletedOutsideRetention_IsDetected()
    {
        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(_path);
        _ = await store.AppendAsync(Stream, Pending(5, Records.Start.AddDays(-40)));
        _ = await store.AppendAsync(Stream, Pending(5, Records.Start));
        _ = await store.DeleteBeforeAsync(Stream, Records.Start.AddDays(-30), Records.Start.AddHours(1));
        List<LogEntry> entries = await LogReading.AllAsync(store, Stream);

        // Deleting two more entries and moving the checkpoint as retention would have is caught by the retention entry.
        Execute(
            "DELETE FROM entries WHERE seq <= 7; UPDATE streams SET checkpoint_seq = 7, checkpoint_hash = $h;",
            ("$h", entries[1].Hash));
        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.Problems.Should().ContainSingle(p => p.Kind == ChainProblemKind.CheckpointMismatch);
    }

    [Theory]
    [InlineData("UPDATE streams SET head_time = head_time + 1", "head time for entry 10")]
    [InlineData("UPDATE streams SET head_time = head_time - 86400000", "head time for entry 10")]
    [InlineData("UPDATE streams SET head_time = head_time + 0.4", "did not write")]
    [InlineData("UPDATE streams SET head_time = 'noon'", "did not write")]
    [InlineData("UPDATE streams SET head_time = 9223372036854775807", "did not write")]
    public async Task Verify_HeadTimeEdited_ReportsHeadMismatchAndTheWriterStillAppends(string edit, string message)
    {
        await using SqliteComplianceLogStore store = await CreateAsync(10);
        Execute(edit);

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Sequence == 10 && p.Kind == ChainProblemKind.HeadMismatch);
        report.Problems[0].Message.Should().Contain(message);

        // The head's time is derived from the head entry and plays no part in an append, which rewrites it.
        _ = await store.AppendAsync(Stream, Pending(1));
        (await ChainVerifier.VerifyAsync(store, Stream)).IsValid.Should().BeTrue();
    }

    [Fact]
    public async Task Verify_HeadEntryTimeEdited_ReportsTheEntryOnly()
    {
        await using SqliteComplianceLogStore store = await CreateAsync(10);
        Execute("UPDATE entries SET time = time + 1 WHERE seq = 10");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Sequence == 10 && p.Kind == ChainProblemKind.Edited);
    }

    [Fact]
    public async Task Verify_CheckpointTimeEdited_ReportsCheckpointMismatch()
    {
        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(_path);
        _ = await store.AppendAsync(Stream, Pending(5, Records.Start.AddDays(-40)));
        _ = await store.AppendAsync(Stream, Pending(5, Records.Start));
        _ = await store.DeleteBeforeAsync(Stream, Records.Start.AddDays(-30), Records.Start.AddHours(1));
        Execute("UPDATE streams SET checkpoint_time = checkpoint_time + 1");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Sequence == 5 && p.Kind == ChainProblemKind.CheckpointMismatch);
        report.Problems[0].Message.Should().Contain("another time");
    }

    [Fact]
    public async Task Verify_CheckpointTimeOfAStreamNeverRetained_ReportsCheckpointMismatch()
    {
        await using SqliteComplianceLogStore store = await CreateAsync(10);
        Execute("UPDATE streams SET checkpoint_time = 0");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Sequence == 0 && p.Kind == ChainProblemKind.CheckpointMismatch);
        report.Problems[0].Message.Should().Contain("nothing was deleted");
    }

    [Fact]
    public async Task Verify_MissingStream_IsUnreadable()
    {
        await using SqliteComplianceLogStore store = await CreateAsync(1);

        VerificationReport report = await ChainVerifier.VerifyAsync(store, "nope");

        report.Problems.Should().ContainSingle().Which.Kind.Should().Be(ChainProblemKind.Unreadable);
    }

    internal static List<PendingEntry> Pending(int count, DateTimeOffset? at = null)
    {
        DateTimeOffset time = at ?? Records.Start;
        return Enumerable.Range(1, count)
            .Select(i => new PendingEntry(time.AddSeconds(i), LogEntryKind.Decision, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}")))
            .ToList();
    }

    private async Task<SqliteComplianceLogStore> CreateAsync(int count)
    {
        SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(_path);
        _ = await store.AppendAsync(Stream, Pending(count));
        return store;
    }

    private async Task RewriteFromAsync(SqliteComplianceLogStore store, long from)
    {
        List<LogEntry> entries = await LogReading.AllAsync(store, Stream);
        byte[] previous = entries[(int)from - 2].Hash;
        foreach (LogEntry entry in entries.Where(e => e.Sequence >= from))
        {
            byte[] payload = Encoding.UTF8.GetBytes($"{{\"forged\":{entry.Sequence}}}");
            byte[] hash = new byte[32];
            HashChain.ComputeHash(Stream, entry.Timestamp.ToUnixTimeMilliseconds(), entry.Kind, payload, previous, hash);
            Execute(
                "UPDATE entries SET payload = $p, prev_hash = $prev, hash = $h WHERE seq = $s",
                ("$p", payload),
                ("$prev", previous),
                ("$h", hash),
                ("$s", entry.Sequence));
            previous = hash;
        }

        Execute("UPDATE streams SET head_hash = $h", ("$h", previous));
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        _ = command.ExecuteNonQuery();
    }
}

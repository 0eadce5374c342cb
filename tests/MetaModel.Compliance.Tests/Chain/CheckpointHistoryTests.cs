using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Sqlite;
using MetaModel.Compliance.Storage;
using MetaModel.Compliance.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace MetaModel.Compliance.Tests.Chain;

/// <summary>Verification of a SQLite log's checkpoint history against the retention entries of its chain.</summary>
public sealed class CheckpointHistoryTests : IDisposable
{
    private const string Stream = "s";
    private readonly TestFiles _files = new();
    private readonly string _path;

    public CheckpointHistoryTests()
    {
        _path = _files.File("history.db");
    }

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Verify_HistoryOfThreeRuns_IsReadBackAndIntact()
    {
        await using SqliteComplianceLogStore store = await CreateAsync();
        var memory = new InMemoryComplianceLogStore();
        await RetentionHistory.WriteAsync(memory, Stream);

        List<RetentionRun> runs = await RetentionHistory.ReadAsync(store, Stream);
        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        runs.Select(r => (r.Checkpoint.Sequence, r.DeletedCount)).Should().Equal((3L, 3L), (4L, 1L), (7L, 3L));
        runs[^1].AppliedAt.Should().Be(Records.Start.AddDays(-10));
        (await RetentionHistory.ReadAsync(memory, Stream)).Should().Equal(runs);
        report.IsValid.Should().BeTrue(string.Join("; ", report.Problems));
        report.Checkpoint.Sequence.Should().Be(RetentionHistory.Last);
        (await ChainVerifier.VerifyAsync(memory, Stream)).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData("UPDATE checkpoints SET hash = zeroblob(32) WHERE seq = 7", 7, "another hash than retention entry 12")]
    [InlineData("UPDATE checkpoints SET time = time + 1 WHERE seq = 4", 4, "another time than retention entry 8")]
    [InlineData("UPDATE checkpoints SET deleted_count = 2 WHERE seq = 7", 7, "another deleted count than")]
    [InlineData("UPDATE checkpoints SET applied_at = applied_at - 60000 WHERE seq = 7", 7, "another run time than")]
    [InlineData(
        "UPDATE checkpoints SET hash = zeroblob(32), deleted_count = 9 WHERE seq = 4",
        4,
        "another hash and deleted count than")]
    public async Task Verify_RowThatARetentionEntryNamesEdited_ReportsThatCheckpointEdited(
        string edit,
        long checkpoint,
        string message)
    {
        await using SqliteComplianceLogStore store = await CreateAsync();
        Execute(edit);

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        ChainProblem problem = Single(report, checkpoint);
        problem.Message.Should().Contain(message).And.Contain("the row was edited");
    }

    [Fact]
    public async Task Verify_RowThatARetentionEntryNamesDeleted_ReportsItMissing()
    {
        await using SqliteComplianceLogStore store = await CreateAsync();
        Execute("DELETE FROM checkpoints WHERE seq = 4");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        Single(report, 4).Message.Should().Contain("no row for checkpoint 4, which retention entry 8 recorded")
            .And.Contain("deleted");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(5)]
    public async Task Verify_RowForgedAmongTheOnesRetentionEntriesName_ReportsItForged(long forged)
    {
        await using SqliteComplianceLogStore store = await CreateAsync();
        Execute(
            "INSERT INTO checkpoints (stream, seq, hash, time, deleted_count, applied_at) " +
            "SELECT stream, $seq, zeroblob(32), time, 1, applied_at FROM checkpoints WHERE seq = 7",
            ("$seq", forged));

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        Single(report, forged).Message.Should().Contain("no retention entry of the chain names").And.Contain("forged");
    }

    [Fact]
    public async Task Verify_OlderRowDeleted_ReportsTheCheckpointTheRunAfterItLeadsTo()
    {
        // Retention entry 4, which named checkpoint 3, was deleted by the next run: only the deleted counts lead to it.
        await using SqliteComplianceLogStore store = await CreateAsync();
        Execute("DELETE FROM checkpoints WHERE seq = 3");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        Single(report, 3).Message.Should().Contain("no row for checkpoint 3")
            .And.Contain("the run that left checkpoint 4 deleted the entry after it");
    }

    [Fact]
    public async Task Verify_OlderRowForged_ReportsItForged()
    {
        await using SqliteComplianceLogStore store = await CreateAsync();
        Execute(
            "INSERT INTO checkpoints (stream, seq, hash, time, deleted_count, applied_at) " +
            "SELECT stream, 2, hash, time, 2, applied_at FROM checkpoints WHERE seq = 3");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        Single(report, 2).Message.Should().Contain("the history does not lead to").And.Contain("forged");
    }

    [Fact]
    public async Task Verify_OlderRowsDeletedCountEdited_ReportsWhereItLeads()
    {
        await using SqliteComplianceLogStore store = await CreateAsync();
        Execute("UPDATE checkpoints SET deleted_count = 2 WHERE seq = 3");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        Single(report, 1).Message.Should().Contain("no row for checkpoint 1")
            .And.Contain("the deleted count of checkpoint 3 was edited");
    }

    [Fact]
    public async Task Verify_RowForgedInAStreamWithoutRetention_ReportsItForged()
    {
        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(_path);
        _ = await store.AppendAsync(Stream, ChainVerifierTests.Pending(10));
        Execute(
            "INSERT INTO checkpoints (stream, seq, hash, time, deleted_count, applied_at) " +
            "VALUES ('s', 5, zeroblob(32), 0, 5, 0)");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        Single(report, 5).Message.Should().Contain("the chain records no retention run").And.Contain("forged");
    }

    [Theory]
    [InlineData("UPDATE checkpoints SET seq = 3.4 WHERE seq = 3", 3)]
    [InlineData("UPDATE checkpoints SET hash = 'not a hash' WHERE seq = 3", 3)]
    [InlineData("UPDATE checkpoints SET applied_at = 'yesterday' WHERE seq = 3", 3)]
    [InlineData("UPDATE checkpoints SET time = 9223372036854775807 WHERE seq = 3", 3)]
    [InlineData("UPDATE checkpoints SET time = time + 0.4 WHERE seq = 4", 4)]
    [InlineData("UPDATE checkpoints SET deleted_count = 1.5 WHERE seq = 7", 7)]
    [InlineData("UPDATE checkpoints SET applied_at = -9223372036854775808 WHERE seq = 7", 7)]
    [InlineData("UPDATE checkpoints SET deleted_count = -9223372036854775808 WHERE seq = 3", 3)]
    [InlineData("UPDATE checkpoints SET deleted_count = 9223372036854775807 WHERE seq = 3", 3)]
    public async Task Verify_RowHoldingAValueTheStoreDoesNotWrite_IsReportedEditedNotThrown(string edit, long checkpoint)
    {
        await using SqliteComplianceLogStore store = await CreateAsync();
        Execute(edit);

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        Single(report, checkpoint).Message.Should().Contain("edited");
    }

    [Fact]
    public async Task Verify_RetentionEntryWithANullCheckpointTime_IsReportedEditedNotThrown()
    {
        await using SqliteComplianceLogStore store = await CreateAsync();
        Execute(
            "UPDATE entries SET payload = CAST(replace(CAST(payload AS TEXT), '\"checkpointTimestamp\":\"', " +
            "'\"checkpointTimestamp\":null,\"x\":\"') AS BLOB) WHERE seq = 12");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        report.Problems.Should().Contain(p => p.Sequence == 12 && p.Kind == ChainProblemKind.Edited);
    }

    [Theory]
    [InlineData("\"deletedCount\":3", "\"deletedCount\":2")]
    [InlineData("\"checkpointSequence\":7", "\"checkpointSequence\":6")]
    public async Task Verify_RetentionEntryEdited_IsReportedAndTheRowsItNamesAreNotSaidToBeEditedOrMissing(
        string original,
        string edited)
    {
        // The entry no longer matches its hash, so what it now says about its run is no evidence against the history.
        await using SqliteComplianceLogStore store = await CreateAsync();
        Execute(
            "UPDATE entries SET payload = CAST(replace(CAST(payload AS TEXT), $original, $edited) AS BLOB) WHERE seq = 12",
            ("$original", original),
            ("$edited", edited));

        VerificationReport report = await ChainVerifier.VerifyAsync(store, Stream);

        string all = string.Join("; ", report.Problems);
        report.Problems.Should().Contain(p => p.Sequence == 12 && p.Kind == ChainProblemKind.Edited, all);
        report.Problems.Should().NotContain(p => p.Message.Contains("the row was edited") || p.Message.Contains("no row"), all);
        report.Problems.Where(p => p.Message.Contains("checkpoint history")).Should()
            .OnlyContain(p => p.Message.Contains("or the retention entry naming it was edited"), all);
    }

    private static ChainProblem Single(VerificationReport report, long checkpoint)
    {
        ChainProblem problem = report.Problems.Should().ContainSingle(string.Join("; ", report.Problems)).Subject;
        problem.Kind.Should().Be(ChainProblemKind.CheckpointMismatch);
        problem.Sequence.Should().Be(checkpoint);
        problem.Message.Should().Contain($"stream '{Stream}'").And.Contain($"checkpoint {checkpoint}");
        return problem;
    }

    private async Task<SqliteComplianceLogStore> CreateAsync()
    {
        SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(_path);
        await RetentionHistory.WriteAsync(store, Stream);
        return store;
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

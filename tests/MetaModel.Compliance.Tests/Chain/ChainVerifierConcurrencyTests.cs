using System.Text;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Sqlite;
using MetaModel.Compliance.Storage;
using MetaModel.Compliance.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace MetaModel.Compliance.Tests.Chain;

/// <summary>Verification of a log that its writer appends to, or runs retention on, while the verifier reads it.</summary>
public sealed class ChainVerifierConcurrencyTests : IDisposable
{
    private const string Stream = "s";
    private readonly TestFiles _files = new();
    private readonly string _path;

    public ChainVerifierConcurrencyTests()
    {
        _path = _files.File("live.db");
    }

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Verify_EntriesAppendedAfterTheRecordIsRead_IsIntactUpToTheLastEntryRead()
    {
        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(_path);
        _ = await store.AppendAsync(Stream, ChainVerifierTests.Pending(5));
        var reader = new HookedReader(store)
        {
            AfterFirstState = () => store.AppendAsync(Stream, ChainVerifierTests.Pending(2)).AsTask(),
        };

        VerificationReport report = await ChainVerifier.VerifyAsync(reader, Stream);

        report.IsValid.Should().BeTrue(string.Join("; ", report.Problems));
        report.EntryCount.Should().Be(7);
        report.Head.Should().Be((await store.GetStreamStateAsync(Stream))!.Head);
    }

    [Fact]
    public async Task Verify_HeadTimeEditedAndEntriesAppendedWhileRead_ReportsTheEditedHead()
    {
        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(_path);
        _ = await store.AppendAsync(Stream, ChainVerifierTests.Pending(5));
        Execute("UPDATE streams SET head_time = head_time + 1");
        var reader = new HookedReader(store)
        {
            AfterFirstState = () => store.AppendAsync(Stream, ChainVerifierTests.Pending(2)).AsTask(),
        };

        VerificationReport report = await ChainVerifier.VerifyAsync(reader, Stream);

        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Sequence == 5 && p.Kind == ChainProblemKind.HeadMismatch);
    }

    [Fact]
    public async Task Verify_EntryInsertedAfterTheHeadWhileRead_IsStillReportedInserted()
    {
        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(_path);
        _ = await store.AppendAsync(Stream, ChainVerifierTests.Pending(5));
        LogEntry head = (await LogReading.AllAsync(store, Stream))[^1];
        var reader = new HookedReader(store)
        {
            AfterFirstState = () =>
            {
                // A forger's entry that links to the head, without moving the head as the writer would.
                byte[] payload = Encoding.UTF8.GetBytes("{\"n\":6}");
                long time = head.Timestamp.ToUnixTimeMilliseconds() + 1;
                byte[] hash = new byte[32];
                HashChain.ComputeHash(Stream, time, LogEntryKind.Decision, payload, head.Hash, hash);
                Execute(
                    "INSERT INTO entries (stream, seq, time, kind, payload, prev_hash, hash) " +
                    "VALUES ($s, 6, $t, $k, $p, $prev, $h)",
                    ("$s", Stream),
                    ("$t", time),
                    ("$k", (int)LogEntryKind.Decision),
                    ("$p", payload),
                    ("$prev", head.Hash),
                    ("$h", hash));
                return Task.CompletedTask;
            },
        };

        VerificationReport report = await ChainVerifier.VerifyAsync(reader, Stream);

        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Sequence == 6 && p.Kind == ChainProblemKind.Inserted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Verify_RetentionRunWhileTheStreamIsRead_IsIntact(bool beforeHistory)
    {
        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(_path);
        _ = await store.AppendAsync(Stream, ChainVerifierTests.Pending(5, Records.Start.AddDays(-40)));
        _ = await store.DeleteBeforeAsync(Stream, Records.Start.AddDays(-30), Records.Start.AddDays(-20));
        _ = await store.AppendAsync(Stream, ChainVerifierTests.Pending(5, Records.Start.AddDays(-10)));
        _ = await store.AppendAsync(Stream, ChainVerifierTests.Pending(5, Records.Start));
        Func<Task> retention = () => store.DeleteBeforeAsync(Stream, Records.Start.AddDays(-5), Records.Start).AsTask();
        var reader = new HookedReader(store);
        if (beforeHistory)
        {
            reader.BeforeFirstHistory = retention;
        }
        else
        {
            reader.AfterFirstState = retention;
        }

        VerificationReport report = await ChainVerifier.VerifyAsync(reader, Stream);

        report.IsValid.Should().BeTrue(string.Join("; ", report.Problems));
        report.Checkpoint.Sequence.Should().Be(11);
    }

    [Fact]
    public async Task Verify_WhileAWriterAppendsAndRunsRetention_EveryReportIsIntact()
    {
        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(_path);
        await LiveLog.ExerciseAsync(store, Stream);
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

using MetaModel.Compliance.Chain;
using MetaModel.Compliance.PostgreSql;
using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Storage;
using MetaModel.Compliance.Tests.Fakes;
using MetaModel.DependencyInjection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace MetaModel.Compliance.Tests.PostgreSql;

public sealed class PostgreSqlComplianceLogStoreTests
{
    [Fact]
    public async Task Append_ThenVerify_ChainIsIntactAndReadBackInOrder()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();
        await using PostgreSqlComplianceLogStore store = Open(db);

        _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(100));
        ChainHead head = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(50));

        head.Sequence.Should().Be(150);
        VerificationReport report = await ChainVerifier.VerifyAsync(store, "s");
        report.IsValid.Should().BeTrue(string.Join("; ", report.Problems));
        report.Head.Should().Be(head);
        store.Description.Should().Contain(db.Schema).And.NotContain("Password").And.NotContain("metamodel;");
    }

    [Fact]
    public async Task ManyWritersOnOneStream_InProcessesAndInstances_KeepOneConsistentChain()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();
        await using (PostgreSqlComplianceLogStore creator = Open(db))
        {
        }

        // Two other processes and four instances here write to the same stream at the same time.
        using System.Diagnostics.Process first =
            TestWriterProcess.Start("postgres", db.ConnectionString, db.Schema, "shared", "2000");
        using System.Diagnostics.Process second =
            TestWriterProcess.Start("postgres", db.ConnectionString, db.Schema, "shared", "2000");
        var stores = Enumerable.Range(0, 4).Select(_ => Open(db)).ToList();
        await Task.WhenAll(stores.Select((store, i) => Task.Run(async () =>
        {
            for (int b = 0; b < 25; b++)
            {
                _ = await store.AppendAsync("shared", Chain.ChainVerifierTests.Pending(40));
            }
        })));
        (await TestWriterProcess.ReadToEndAsync(first)).Should().Contain("done");
        (await TestWriterProcess.ReadToEndAsync(second)).Should().Contain("done");

        VerificationReport report = await ChainVerifier.VerifyAsync(stores[0], "shared");
        report.IsValid.Should().BeTrue(string.Join("; ", report.Problems));
        report.EntryCount.Should().Be((4 * 25 * 40) + (2 * 2000));
        foreach (PostgreSqlComplianceLogStore store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Verify_WhileAWriterAppendsAndRunsRetention_EveryReportIsIntact()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();
        await using PostgreSqlComplianceLogStore store = Open(db);

        await LiveLog.ExerciseAsync(store, "s");
    }

    [Fact]
    public async Task Verify_RowEditedInTheDatabase_IsDetected()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();
        await using PostgreSqlComplianceLogStore store = Open(db);
        _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(20));

        await db.ExecuteAsync($"UPDATE {db.Schema}.entries SET payload = convert_to('{{\"n\":0}}', 'UTF8') WHERE seq = 7");
        await db.ExecuteAsync($"DELETE FROM {db.Schema}.entries WHERE seq = 12");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, "s");
        report.Problems.Select(p => (p.Sequence, p.Kind))
            .Should().Equal((7L, ChainProblemKind.Edited), (12L, ChainProblemKind.Deleted));
    }

    [Fact]
    public async Task Verify_TimesEditedBeyondWhatADateHolds_AreReportedNotThrown()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();
        await using PostgreSqlComplianceLogStore store = Open(db);
        _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(5));

        await db.ExecuteAsync($"UPDATE {db.Schema}.entries SET time = 9223372036854775807 WHERE seq = 3");
        await db.ExecuteAsync($"UPDATE {db.Schema}.streams SET head_time = -9223372036854775808");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, "s");
        report.Problems.Select(p => (p.Sequence, p.Kind))
            .Should().Equal((3L, ChainProblemKind.Edited), (5L, ChainProblemKind.HeadMismatch));
    }

    [Fact]
    public async Task Verify_HeadTimeEdited_IsHeadMismatchAndTheWriterStillAppends()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();
        await using PostgreSqlComplianceLogStore store = Open(db);
        _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(5));

        await db.ExecuteAsync($"UPDATE {db.Schema}.streams SET head_time = head_time + 1");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, "s");
        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Sequence == 5 && p.Kind == ChainProblemKind.HeadMismatch);
        report.Problems[0].Message.Should().Contain("head time for entry 5");
        _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(1));
        (await ChainVerifier.VerifyAsync(store, "s")).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData("UPDATE {0}.checkpoints SET hash = decode(repeat('00', 32), 'hex') WHERE seq = 7", 7, "edited")]
    [InlineData("UPDATE {0}.checkpoints SET deleted_count = 2 WHERE seq = 7", 7, "edited")]
    [InlineData("DELETE FROM {0}.checkpoints WHERE seq = 4", 4, "deleted")]
    [InlineData("DELETE FROM {0}.checkpoints WHERE seq = 3", 3, "deleted")]
    [InlineData(
        "INSERT INTO {0}.checkpoints SELECT stream, 10, hash, time, 3, applied_at FROM {0}.checkpoints WHERE seq = 7",
        10,
        "forged")]
    [InlineData(
        "INSERT INTO {0}.checkpoints SELECT stream, 2, hash, time, 2, applied_at FROM {0}.checkpoints WHERE seq = 3",
        2,
        "forged")]
    [InlineData("UPDATE {0}.checkpoints SET applied_at = 9223372036854775807 WHERE seq = 3", 3, "edited")]
    [InlineData("UPDATE {0}.checkpoints SET time = -9223372036854775808 WHERE seq = 4", 4, "edited")]
    public async Task Verify_CheckpointHistoryTamperedWith_IsCheckpointMismatchNamingTheCheckpoint(
        string edit,
        long checkpoint,
        string reading)
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();
        await using PostgreSqlComplianceLogStore store = Open(db);
        await RetentionHistory.WriteAsync(store, "s");
        (await ChainVerifier.VerifyAsync(store, "s")).IsValid.Should().BeTrue();

        await db.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, edit, db.Schema));

        VerificationReport report = await ChainVerifier.VerifyAsync(store, "s");
        ChainProblem problem = report.Problems.Should().ContainSingle(string.Join("; ", report.Problems)).Subject;
        problem.Kind.Should().Be(ChainProblemKind.CheckpointMismatch);
        problem.Sequence.Should().Be(checkpoint);
        problem.Message.Should().Contain("stream 's'").And.Contain($"checkpoint {checkpoint}").And.Contain(reading);
    }

    [Fact]
    public async Task Verify_StreamsCheckpointTimeEdited_IsCheckpointMismatch()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();
        await using PostgreSqlComplianceLogStore store = Open(db);
        await RetentionHistory.WriteAsync(store, "s");

        await db.ExecuteAsync($"UPDATE {db.Schema}.streams SET checkpoint_time = checkpoint_time + 1");

        VerificationReport report = await ChainVerifier.VerifyAsync(store, "s");
        report.Problems.Should().ContainSingle().Which
            .Should().Match<ChainProblem>(p => p.Sequence == 7 && p.Kind == ChainProblemKind.CheckpointMismatch);
        report.Problems[0].Message.Should().Contain("another time");
    }

    [Fact]
    public async Task ReadCheckpointHistory_ReturnsEveryRunInOrder()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();
        await using PostgreSqlComplianceLogStore store = Open(db);
        await RetentionHistory.WriteAsync(store, "s");

        List<RetentionRun> runs = await RetentionHistory.ReadAsync(store, "s");

        runs.Select(r => (r.Checkpoint.Sequence, r.DeletedCount)).Should().Equal((3L, 3L), (4L, 1L), (7L, 3L));
        runs[0].AppliedAt.Should().Be(Records.Start.AddDays(-90));
        runs.Should().OnlyContain(r => HashChain.IsHex(r.Checkpoint.Hash));
    }

    [Fact]
    public async Task Retention_KeepsTheRestVerifiable()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();
        await using PostgreSqlComplianceLogStore store = Open(db);
        _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(10, Records.Start.AddDays(-60)));
        _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(10, Records.Start));

        RetentionResult result = await store.DeleteBeforeAsync("s", Records.Start.AddDays(-30), Records.Start);

        result.DeletedCount.Should().Be(10);
        VerificationReport report = await ChainVerifier.VerifyAsync(store, "s");
        report.IsValid.Should().BeTrue(string.Join("; ", report.Problems));
        report.Checkpoint.Sequence.Should().Be(10);
        report.EntryCount.Should().Be(11);
    }

    [Fact]
    public async Task OpenExisting_WrongSchemaVersionOrNoLog_IsAClearError()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();

        FluentActions.Invoking(() => PostgreSqlComplianceLogStore.OpenExisting(db.ConnectionString, Options(db)))
            .Should().Throw<ComplianceLogSchemaException>()
            .WithMessage($"*schema {db.Schema} does not exist: the database has no schema '{db.Schema}'.");
        await db.ExecuteAsync($"CREATE SCHEMA {db.Schema}");
        FluentActions.Invoking(() => PostgreSqlComplianceLogStore.OpenExisting(db.ConnectionString, Options(db)))
            .Should().Throw<ComplianceLogSchemaException>().WithMessage("*no schema version table*");
        await using (PostgreSqlComplianceLogStore store = Open(db))
        {
        }

        await db.ExecuteAsync($"UPDATE {db.Schema}.schema_version SET version = 9");
        FluentActions.Invoking(() => PostgreSqlComplianceLogStore.OpenExisting(db.ConnectionString, Options(db)))
            .Should().Throw<ComplianceLogSchemaException>().WithMessage("*schema version 9*");
    }

    [Fact]
    public async Task UsePostgreSqlRecorder_RecordsEveryRequestThroughTheContainer()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();
        var services = new ServiceCollection();
        services.AddMetaModel("pg")
            .AddCandidate("A", new FakeChatClient())
            .UsePostgreSqlRecorder(db.ConnectionString, o => o.PseudonymizationKey = LogReading.Key(), Options(db));

        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            IChatClient client = provider.GetRequiredService<IChatClient>();
            for (int i = 0; i < 10; i++)
            {
                _ = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);
            }
        }

        await using PostgreSqlComplianceLogStore store =
            PostgreSqlComplianceLogStore.OpenExisting(db.ConnectionString, Options(db));
        List<LogEntry> entries = await LogReading.AllAsync(store, "pg");
        entries.Count(e => e.Kind == LogEntryKind.Outcome).Should().Be(10);
        entries.Should().ContainSingle(e => e.Kind == LogEntryKind.Passport);
    }

    [Fact]
    public void Open_BadSchemaNameOrConnectionString_NeverEchoesThePassword()
    {
        FluentActions.Invoking(() => PostgreSqlComplianceLogStore.Open("Host=127.0.0.1;Password=hunter2;Nonsense Key=1"))
            .Should().Throw<ArgumentException>().Which.Message.Should().NotContain("hunter2");
        FluentActions.Invoking(() => PostgreSqlComplianceLogStore.Open(
            "Host=127.0.0.1",
            new PostgreSqlComplianceLogStoreOptions { Schema = "x; DROP TABLE y" }))
            .Should().Throw<ArgumentException>().WithMessage("*not allowed*");
    }

    private static PostgreSqlComplianceLogStoreOptions Options(PostgreSqlDatabase db) => new() { Schema = db.Schema };

    private static PostgreSqlComplianceLogStore Open(PostgreSqlDatabase db) =>
        PostgreSqlComplianceLogStore.Open(db.ConnectionString, Options(db));
}

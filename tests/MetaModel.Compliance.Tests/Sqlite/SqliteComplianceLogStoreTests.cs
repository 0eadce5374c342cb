using System.Diagnostics;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Sqlite;
using MetaModel.Compliance.Storage;
using MetaModel.Compliance.Tests.Fakes;
using MetaModel.DependencyInjection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MetaModel.Compliance.Tests.Sqlite;

public sealed class SqliteComplianceLogStoreTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Open_NewFile_CreatesWalSchemaVersionAndReopens()
    {
        string path = _files.File("new.db");
        await using (SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(path))
        {
            _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(3));
            store.Description.Should().Contain("WAL").And.Contain(path);
        }

        Scalar(path, "PRAGMA journal_mode").Should().Be("wal");
        Scalar(path, "SELECT version FROM schema_version").Should().Be(1L);
        await using SqliteComplianceLogStore reopened = SqliteComplianceLogStore.OpenExisting(path);
        (await ChainVerifier.VerifyAsync(reopened, "s")).EntryCount.Should().Be(3);
    }

    [Fact]
    public async Task Open_OtherSchemaVersion_FailsWithBothVersionsInTheMessage()
    {
        string path = _files.File("v2.db");
        await using (SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(path))
        {
        }

        Execute(path, "UPDATE schema_version SET version = 2");

        Action act = () => SqliteComplianceLogStore.OpenExisting(path);

        act.Should().Throw<ComplianceLogSchemaException>()
            .WithMessage("*schema version 2*reads and writes schema version 1*")
            .Which.FoundVersion.Should().Be(2);
    }

    [Fact]
    public void Open_ForeignDatabaseOrFile_IsAClearError()
    {
        string foreign = _files.File("foreign.db");
        Execute(foreign, "CREATE TABLE customers (id INTEGER)");
        string text = _files.File("text.db");
        File.WriteAllText(
            text,
            "this is not a database, it is a text file of some length ......................................");

        FluentActions.Invoking(() => SqliteComplianceLogStore.Open(foreign)).Should().Throw<ComplianceLogSchemaException>()
            .WithMessage("*not created by MetaModel*");
        FluentActions.Invoking(() => SqliteComplianceLogStore.OpenExisting(text)).Should().Throw<ComplianceLogSchemaException>()
            .WithMessage("*not a SQLite database*");
        FluentActions.Invoking(() => SqliteComplianceLogStore.OpenExisting(_files.File("missing.db")))
            .Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public async Task OpenExisting_ReadOnly_ReadsWhileAWriterHoldsTheLockAndRefusesWrites()
    {
        string path = _files.File("ro.db");
        await using (SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(path))
        {
            _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(3));
        }

        using var writer = new SqliteConnection($"Data Source={path};Pooling=False");
        writer.Open();
        using SqliteTransaction held = writer.BeginTransaction(deferred: false);
        var options = new SqliteComplianceLogStoreOptions { ReadOnly = true, BusyTimeout = TimeSpan.FromSeconds(2) };

        await using SqliteComplianceLogStore reader = SqliteComplianceLogStore.OpenExisting(path, options);

        (await ChainVerifier.VerifyAsync(reader, "s")).IsValid.Should().BeTrue();
        reader.Description.Should().Contain("read-only");
        Func<Task> append = async () => await reader.AppendAsync("s", Chain.ChainVerifierTests.Pending(1));
        (await append.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*opened read-only*");
        Func<Task> retain = async () => await reader.DeleteBeforeAsync("s", DateTimeOffset.MaxValue, DateTimeOffset.UtcNow);
        _ = await retain.Should().ThrowAsync<InvalidOperationException>();
        held.Rollback();
        Scalar(path, "SELECT COUNT(*) FROM entries").Should().Be(3L);
    }

    [Fact]
    public async Task Append_TwoStoresOnOneFileConcurrently_KeepOneChainPerStream()
    {
        string path = _files.File("shared.db");
        await using SqliteComplianceLogStore first = SqliteComplianceLogStore.Open(path);
        await using SqliteComplianceLogStore second = SqliteComplianceLogStore.Open(path);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            SqliteComplianceLogStore store = i % 2 == 0 ? first : second;
            for (int b = 0; b < 10; b++)
            {
                _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(20));
            }
        })));

        VerificationReport report = await ChainVerifier.VerifyAsync(first, "s");
        report.IsValid.Should().BeTrue(string.Join("; ", report.Problems));
        report.EntryCount.Should().Be(8 * 10 * 20);
    }

    [Fact]
    public async Task ChildProcessKilledMidWrite_ReopensVerifiesAndLosesOnlyTheUnflushedTail()
    {
        string path = _files.File("crash.db");
        using Process child = TestWriterProcess.Start("sqlite", path, "crash", "0");
        long lastReported = await TestWriterProcess.WaitForStoredAsync(child, minimum: 3_000);

        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync();

        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.OpenExisting(path);
        VerificationReport report = await ChainVerifier.VerifyAsync(store, "crash");
        report.IsValid.Should().BeTrue(string.Join("; ", report.Problems));
        report.EntryCount.Should().BeGreaterThanOrEqualTo(lastReported, "everything flushed before the kill survives");

        // The store accepts appends again after recovery, continuing the same chain.
        _ = await store.AppendAsync("crash", Chain.ChainVerifierTests.Pending(5));
        (await ChainVerifier.VerifyAsync(store, "crash")).IsValid.Should().BeTrue();
    }

    [Fact]
    public async Task TornWalTail_IsIgnoredOnReopenAndTheChainVerifies()
    {
        string path = _files.File("torn.db");
        await using (SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(path))
        {
            _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(50));
        }

        // A crash during a write leaves a partly written frame at the end of the write-ahead log.
        await using (FileStream wal = new(path + "-wal", FileMode.Append, FileAccess.Write))
        {
            byte[] garbage = new byte[3_000];
            new Random(7).NextBytes(garbage);
            await wal.WriteAsync(garbage);
        }

        await using SqliteComplianceLogStore reopened = SqliteComplianceLogStore.OpenExisting(path);
        VerificationReport report = await ChainVerifier.VerifyAsync(reopened, "s");
        report.IsValid.Should().BeTrue(string.Join("; ", report.Problems));
        report.EntryCount.Should().Be(50);
    }

    [Fact]
    public async Task UseSqliteRecorder_RecordsRequestsAndPassport_AndFlushesWhenTheContainerIsDisposed()
    {
        string path = _files.File("di.db");
        var services = new ServiceCollection();
        services.AddMetaModel("support")
            .AddCandidate("A", new FakeChatClient(), c => c.Energy = MetaModel.Compliance.Energy.EnergyProfiles.Small)
            .UseSqliteRecorder(path, o =>
            {
                o.PseudonymizationKey = LogReading.Key();
                o.Declaration.IntendedUse = "Drafting answers to invoice questions.";
            });

        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            IChatClient client = provider.GetRequiredKeyedService<IChatClient>("support");
            for (int i = 0; i < 20; i++)
            {
                _ = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], new ChatOptions().WithTenant("t1"));
            }
        }

        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.OpenExisting(path);
        List<LogEntry> entries = await LogReading.AllAsync(store, "support");
        entries.Count(e => e.Kind == LogEntryKind.Decision).Should().Be(20);
        entries.Count(e => e.Kind == LogEntryKind.Outcome).Should().Be(20);
        LogEntry passport = entries.Should().ContainSingle(e => e.Kind == LogEntryKind.Passport).Subject;
        passport.PayloadText.Should().Contain("Drafting answers").And.Contain("SQLite file");
        (await ChainVerifier.VerifyAsync(store, "support")).IsValid.Should().BeTrue();
    }

    [Fact]
    public async Task UseComplianceLog_InAHostThatIsStoppedButNotDisposed_WritesTheQueueBeforeStopEnds()
    {
        // The store accepts nothing until it is opened, so the records wait in the recorder's queue.
        var store = new GatedStore(open: false);
        HostApplicationBuilder builder =
            Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddMetaModel("support")
            .AddCandidate("A", new FakeChatClient())
            .UseComplianceLog(_ => store, o => o.PseudonymizationKey = LogReading.Key());
        IHost host = builder.Build();
        try
        {
            await host.StartAsync();
            IChatClient client = host.Services.GetRequiredKeyedService<IChatClient>("support");
            for (int i = 0; i < 5; i++)
            {
                _ = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);
            }

            Task stop = host.StopAsync();
            await Task.Delay(200);
            stop.IsCompleted.Should().BeFalse("stopping waits until the queued records are stored");

            store.Open();
            await stop;
            List<LogEntry> entries = await LogReading.AllAsync(store.Inner, "support");
            entries.Count(e => e.Kind == LogEntryKind.Decision).Should().Be(5);
            entries.Count(e => e.Kind == LogEntryKind.Outcome).Should().Be(5);
        }
        finally
        {
            store.Open();
            host.Dispose();
        }
    }

    [Fact]
    public async Task UseComplianceLog_InAHostStoppedWithoutStarting_NeverOpensTheStores()
    {
        // A host whose start failed before the metamodels were built is stopped all the same: creating their
        // recorders then would open (or fail to open) their stores only to write nothing, and fail the stop.
        string path = _files.File("never.db");
        int unreachable = 0;
        HostApplicationBuilder builder =
            Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddMetaModel("support")
            .AddCandidate("A", new FakeChatClient())
            .UseComplianceLog(_ => SqliteComplianceLogStore.Open(path), o => o.PseudonymizationKey = LogReading.Key());
        builder.Services.AddMetaModel("remote")
            .AddCandidate("B", new FakeChatClient())
            .UseComplianceLog(
                services =>
                {
                    _ = Interlocked.Increment(ref unreachable);
                    throw new IOException("The remote metamodel's store is unreachable.");
                },
                o => o.PseudonymizationKey = LogReading.Key());
        IHost host = builder.Build();

        await host.StopAsync();
        await host.StopAsync();
        host.Dispose();

        unreachable.Should().Be(0);
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public async Task UseComplianceLog_TwoMetaModelsInAHostStoppedTwice_KeepEachOnesRecords()
    {
        string[] paths = [_files.File("first.db"), _files.File("second.db")];
        HostApplicationBuilder builder =
            Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        foreach ((string name, string path) in new[] { ("first", paths[0]), ("second", paths[1]) })
        {
            builder.Services.AddMetaModel(name)
                .AddCandidate("A", new FakeChatClient())
                .UseComplianceLog(_ => SqliteComplianceLogStore.Open(path), o => o.PseudonymizationKey = LogReading.Key());
        }

        using (IHost host = builder.Build())
        {
            await host.StartAsync();
            _ = await host.Services.GetRequiredKeyedService<IChatClient>("first").GetResponseAsync("hi");
            _ = await host.Services.GetRequiredKeyedService<IChatClient>("second").GetResponseAsync("hi");
            await host.StopAsync();
            await host.StopAsync();
        }

        foreach ((string name, string path) in new[] { ("first", paths[0]), ("second", paths[1]) })
        {
            using SqliteComplianceLogStore reader = SqliteComplianceLogStore.OpenExisting(path);
            (await LogReading.AllAsync(reader, name)).Count(e => e.Kind == LogEntryKind.Decision).Should().Be(1, name);
            (await ChainVerifier.VerifyAsync(reader, name)).IsValid.Should().BeTrue(name);
        }
    }

    [Fact]
    public void UseSqliteRecorder_WithoutKey_FailsAtRegistration()
    {
        var services = new ServiceCollection();

        Action act = () => services.AddMetaModel().UseSqliteRecorder(_files.File("x.db"));

        act.Should().Throw<MetaModelConfigurationException>().WithMessage("*PseudonymizationKey*");
    }

    private static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        _ = command.ExecuteNonQuery();
    }
}

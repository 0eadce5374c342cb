using System.Diagnostics;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Tests.Fakes;

namespace MetaModel.Compliance.Tests.Recording;

public sealed class ComplianceLogRecorderTests
{
    [Fact]
    public async Task Dispose_AfterManyRecords_FlushesEveryRecordInOrder()
    {
        var store = new GatedStore();
        var recorder = new ComplianceLogRecorder(store, Options(capacity: 10_000, batch: 64));

        for (int i = 0; i < 5_000; i++)
        {
            recorder.RecordOutcome(Records.Outcome($"d{i}"));
        }

        await recorder.DisposeAsync();

        List<LogEntry> entries = await LogReading.AllAsync(store, "test");
        entries.Should().HaveCount(5_000);
        entries.Select(e => LogReading.Json(e).GetProperty("decisionId").GetString())
            .Should().Equal(Enumerable.Range(0, 5_000).Select(i => $"d{i}"));
        (await ChainVerifier.VerifyAsync(store, "test")).IsValid.Should().BeTrue();
        recorder.WrittenCount.Should().Be(5_000);
    }

    [Fact]
    public async Task Dispose_Synchronously_FlushesToo()
    {
        var store = new GatedStore();
        var recorder = new ComplianceLogRecorder(store, Options());
        recorder.RecordDecision(Records.Decision("d1"));

        recorder.Dispose();

        (await store.Inner.GetStreamStateAsync("test"))!.Head.Sequence.Should().Be(1);
    }

    [Fact]
    public async Task FlushAsync_WaitsUntilEarlierRecordsAreStored()
    {
        var store = new GatedStore();
        await using var recorder = new ComplianceLogRecorder(store, Options());
        recorder.RecordDecision(Records.Decision("d1"));
        recorder.RecordAttempt(Records.Attempt("d1"));
        recorder.RecordOutcome(Records.Outcome("d1"));

        await recorder.FlushAsync();

        (await LogReading.AllAsync(store, "test")).Select(e => e.Kind)
            .Should().Equal(LogEntryKind.Decision, LogEntryKind.Attempt, LogEntryKind.Outcome);
    }

    [Fact]
    public async Task AFailedAttempt_RecordsWhyAndWhatFollowed_ASucceededOneRecordsNoneOfIt()
    {
        var store = new GatedStore();
        await using var recorder = new ComplianceLogRecorder(store, Options());
        recorder.RecordAttempt(Records.Attempt("d1", error: "Too many requests") with
        {
            Fault = Resilience.FaultKind.RateLimited,
            Action = Resilience.FaultAction.FailOver,
            StatusCode = 429,
            RetryAfter = TimeSpan.FromSeconds(2),
            WasProbe = true,
        });
        recorder.RecordAttempt(Records.Attempt("d2"));

        await recorder.FlushAsync();

        List<LogEntry> entries = await LogReading.AllAsync(store, "test");
        using (var failed = System.Text.Json.JsonDocument.Parse(entries[0].Payload))
        {
            System.Text.Json.JsonElement root = failed.RootElement;
            root.GetProperty("fault").GetString().Should().Be("RateLimited");
            root.GetProperty("action").GetString().Should().Be("FailOver");
            root.GetProperty("statusCode").GetInt64().Should().Be(429);
            root.GetProperty("retryAfterTicks").GetInt64().Should().Be(TimeSpan.FromSeconds(2).Ticks);
            root.GetProperty("wasProbe").GetBoolean().Should().BeTrue();
        }

        entries[1].PayloadText.Should().NotContain("fault").And.NotContain("action").And.NotContain("statusCode")
            .And.NotContain("retryAfter").And.NotContain("wasProbe");
    }

    [Fact]
    public async Task Record_QueueFullInWaitMode_WaitsTheBoundThenThrows()
    {
        var store = new GatedStore(open: false);
        await using var recorder =
            new ComplianceLogRecorder(store, Options(capacity: 4, batch: 2, wait: TimeSpan.FromMilliseconds(200)));

        // The writer holds the first records in its stuck batch; the queue takes the next four and is then full.
        int recorded = 0;
        while (recorder.QueueLength < 4)
        {
            recorder.RecordOutcome(Records.Outcome($"d{recorded++}"));
            await Task.Delay(20);
        }

        var watch = Stopwatch.StartNew();
        Action act = () => recorder.RecordOutcome(Records.Outcome("late"));

        act.Should().Throw<ComplianceRecorderFullException>().WithMessage("*stayed full*");
        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(150));
        recorder.QueueLength.Should().BeLessThanOrEqualTo(4);
        recorder.DroppedCount.Should().Be(1);

        store.Open();
        await recorder.FlushAsync();
        List<LogEntry> entries = await LogReading.AllAsync(store, "test");
        entries.Where(e => e.Kind == LogEntryKind.Outcome).Should().HaveCount(recorded);
        LogEntry loss = entries.Should().ContainSingle(e => e.Kind == LogEntryKind.Loss).Subject;
        LogReading.Json(loss).GetProperty("count").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task Record_QueueFreesWhileWaiting_RecordIsKept()
    {
        var store = new GatedStore(open: false);
        await using var recorder =
            new ComplianceLogRecorder(store, Options(capacity: 2, batch: 1, wait: TimeSpan.FromSeconds(10)));
        for (int i = 0; i < 3; i++)
        {
            recorder.RecordOutcome(Records.Outcome($"d{i}"));
            await Task.Delay(20);
        }

        _ = Task.Run(async () =>
        {
            await Task.Delay(200);
            store.Open();
        });
        recorder.RecordOutcome(Records.Outcome("waited"));
        await recorder.FlushAsync();

        recorder.DroppedCount.Should().Be(0);
        (await LogReading.AllAsync(store, "test")).Should().HaveCount(4);
    }

    [Fact]
    public async Task Record_QueueFullInDropMode_NeverWaitsCountsAndAdmitsTheLoss()
    {
        var store = new GatedStore(open: false);
        var options = Options(capacity: 100, batch: 10);
        options.FullMode = RecorderFullMode.Drop;
        await using var recorder = new ComplianceLogRecorder(store, options);

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 10_000; i++)
        {
            recorder.RecordOutcome(Records.Outcome($"d{i}"));
        }

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        recorder.QueueLength.Should().BeLessThanOrEqualTo(100);
        long dropped = recorder.DroppedCount;
        dropped.Should().BeGreaterThan(9_000);

        store.Open();
        await recorder.FlushAsync();
        List<LogEntry> entries = await LogReading.AllAsync(store, "test");
        long admitted =
            entries.Where(e => e.Kind == LogEntryKind.Loss).Sum(e => LogReading.Json(e).GetProperty("count").GetInt64());
        admitted.Should().Be(dropped);
        (entries.Count(e => e.Kind == LogEntryKind.Outcome) + dropped).Should().Be(10_000);
    }

    [Fact]
    public async Task Memory_UnderSustainedLoad_StaysBoundedByTheQueue()
    {
        var store = new GatedStore(open: false);
        var options = Options(capacity: 1_000, batch: 100);
        options.FullMode = RecorderFullMode.Drop;
        await using var recorder = new ComplianceLogRecorder(store, options);
        OutcomeRecord record = Records.Outcome("same");
        for (int i = 0; i < 2_000; i++)
        {
            recorder.RecordOutcome(record);
        }

        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < 200_000; i++)
        {
            recorder.RecordOutcome(Records.Outcome("d"));
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        recorder.QueueLength.Should().BeLessThanOrEqualTo(1_000);
        (after - before).Should().BeLessThan(2_000_000, "the queue is full, so every new record is dropped and collected");
        store.Open();
    }

    [Fact]
    public async Task Writer_StoreFailsThenRecovers_BatchIsRetriedNotLost()
    {
        var store = new GatedStore { Failure = () => new IOException("disk full") };
        var options = Options();
        options.RetryDelay = TimeSpan.FromMilliseconds(20);
        await using var recorder = new ComplianceLogRecorder(store, options);
        recorder.RecordOutcome(Records.Outcome("d1"));

        for (int i = 0; i < 500 && recorder.FailedAppendCount == 0; i++)
        {
            await Task.Delay(10);
        }

        recorder.FailedAppendCount.Should().BeGreaterThan(0);
        store.Failure = null;
        await recorder.FlushAsync();

        (await LogReading.AllAsync(store, "test")).Should().ContainSingle();
    }

    [Fact]
    public async Task Decision_TenantAndUser_AreStoredOnlyAsKeyedHashes()
    {
        var store = new GatedStore();
        await using (var recorder = new ComplianceLogRecorder(store, Options()))
        {
            recorder.RecordDecision(Records.Decision("d1", tenant: "acme-bank", user: "alice@example.com"));
            recorder.RecordDecision(Records.Decision("d2", tenant: "acme-bank", user: "bob"));
        }

        var otherKeyStore = new GatedStore();
        ComplianceLogOptions otherKey = Options();
        otherKey.PseudonymizationKey = Enumerable.Repeat((byte)7, 32).ToArray();
        await using (var recorder = new ComplianceLogRecorder(otherKeyStore, otherKey))
        {
            recorder.RecordDecision(Records.Decision("d1", tenant: "acme-bank", user: "alice@example.com"));
        }

        List<LogEntry> entries = await LogReading.AllAsync(store, "test");
        string text = string.Concat(entries.Select(e => e.PayloadText));
        text.Should().NotContain("acme-bank").And.NotContain("alice").And.NotContain("bob");
        string tenant1 = LogReading.Json(entries[0]).GetProperty("tenantHash").GetString()!;
        string tenant2 = LogReading.Json(entries[1]).GetProperty("tenantHash").GetString()!;
        tenant1.Should().HaveLength(64).And.Be(tenant2);
        LogReading.Json(entries[0]).GetProperty("userHash").GetString()
            .Should().NotBe(LogReading.Json(entries[1]).GetProperty("userHash").GetString());
        LogReading.Json(entries[0]).GetProperty("pseudonymKeyId").GetString().Should().Be("k1");
        string otherTenant =
            LogReading.Json((await LogReading.AllAsync(otherKeyStore, "test"))[0]).GetProperty("tenantHash").GetString()!;
        otherTenant.Should().NotBe(tenant1);
        tenant1.Should().Be(new MetaModel.Compliance.Privacy.Pseudonymizer(LogReading.Key(), "k1").Tenant("acme-bank"));
    }

    [Fact]
    public void Constructor_WithoutPseudonymizationKey_ListsTheProblem()
    {
        var options = new ComplianceLogOptions { QueueCapacity = 0 };

        Action act = () => _ = new ComplianceLogRecorder(new GatedStore(), options);

        act.Should().Throw<ArgumentException>().WithMessage("*PseudonymizationKey*").WithMessage("*QueueCapacity*");
    }

    [Fact]
    public async Task Outcome_WithEnergy_RecordsEmissionsAtTheGridIntensity()
    {
        var store = new GatedStore();
        ComplianceLogOptions options = Options();
        options.GridCarbonIntensity = 300;
        await using (var recorder = new ComplianceLogRecorder(store, options))
        {
            recorder.RecordOutcome(Records.Outcome("d1", energy: 2.0));
            recorder.RecordOutcome(Records.Outcome("d2", energy: null));
        }

        List<LogEntry> entries = await LogReading.AllAsync(store, "test");
        LogReading.Json(entries[0]).GetProperty("emissionsGrams").GetDouble().Should().BeApproximately(0.6, 1e-12);
        LogReading.Json(entries[0]).GetProperty("gridIntensity").GetDouble().Should().Be(300);
        LogReading.Json(entries[1]).TryGetProperty("energyWh", out _).Should().BeFalse();
    }

    [Fact]
    public async Task Retention_ByDays_DeletesOldRecordsAndChainStillVerifies()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Records.Start.AddDays(100));
        var store = new GatedStore();
        ComplianceLogOptions options = Options();
        options.RetentionDays = 30;
        await using var recorder = new ComplianceLogRecorder(store, options, time);
        recorder.RecordOutcome(Records.Outcome("old", at: Records.Start));
        recorder.RecordOutcome(Records.Outcome("new", at: Records.Start.AddDays(95)));
        await recorder.FlushAsync();

        _ = await recorder.ApplyRetentionAsync();

        // The writer also applies retention on its own after a batch; either way the old record is gone.
        List<LogEntry> entries = await LogReading.AllAsync(store, "test");
        entries.Should().NotContain(e => e.PayloadText.Contains("\"old\"", StringComparison.Ordinal));
        entries.Should().Contain(e => e.PayloadText.Contains("\"new\"", StringComparison.Ordinal));
        entries.Should().Contain(e => e.Kind == LogEntryKind.Retention);
        VerificationReport report = await ChainVerifier.VerifyAsync(store, "test");
        report.IsValid.Should().BeTrue(string.Join("; ", report.Problems));
        report.Checkpoint.Sequence.Should().Be(1);
    }

    [Fact]
    public async Task Writer_RecordThatCannotBeEncoded_IsAdmittedAsLossAndLaterRecordsAreStored()
    {
        var store = new GatedStore();
        await using var recorder = new ComplianceLogRecorder(store, Options());
        recorder.RecordDecision(Records.Decision("bad") with { Candidates = null! });
        recorder.RecordOutcome(Records.Outcome("after"));

        Task flush = recorder.FlushAsync();
        (await Task.WhenAny(flush, Task.Delay(TimeSpan.FromSeconds(10)))).Should().BeSameAs(flush, "the writer keeps going");

        List<LogEntry> entries = await LogReading.AllAsync(store, "test");
        entries.Select(e => e.Kind).Should().Equal(LogEntryKind.Loss, LogEntryKind.Outcome);
        LogReading.Json(entries[0]).GetProperty("count").GetInt64().Should().Be(1);
        LogReading.Json(entries[0]).GetProperty("reason").GetString().Should().Contain("DecisionRecord");
        LogReading.Json(entries[0]).GetProperty("errorKind").GetString().Should().Be(nameof(NullReferenceException));
        recorder.UnencodableCount.Should().Be(1);
        (await ChainVerifier.VerifyAsync(store, "test")).IsValid.Should().BeTrue();
    }

    [Fact]
    public async Task Writer_HugeErrorWithControlCharsAndLoneSurrogates_IsStoredAndVerifies()
    {
        var store = new GatedStore();
        await using var recorder = new ComplianceLogRecorder(store, Options());
        string huge = new string('x', 10_000_000) + "\ud800\u0000\u001f\u2028";
        recorder.RecordOutcome(Records.Outcome("d\ud800\u0000", error: huge));
        recorder.RecordAttempt(Records.Attempt("\udc00", error: "\ud83d"));
        await recorder.FlushAsync();

        List<LogEntry> entries = await LogReading.AllAsync(store, "test");
        entries.Should().HaveCount(2);
        LogReading.Json(entries[0]).GetProperty("decisionId").GetString().Should().Be("d\ufffd\u0000");
        (await ChainVerifier.VerifyAsync(store, "test")).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData("RetentionDays")]
    [InlineData("RetentionInterval")]
    [InlineData("RetryDelay")]
    [InlineData("ShutdownTimeout")]
    [InlineData("MaxEnqueueWait")]
    public void Constructor_SettingTooLargeForItsTimer_ListsTheProblem(string setting)
    {
        ComplianceLogOptions options = Options();
        switch (setting)
        {
            case "RetentionDays": options.RetentionDays = int.MaxValue; break;
            case "RetentionInterval": options.RetentionInterval = TimeSpan.MaxValue; break;
            case "RetryDelay": options.RetryDelay = TimeSpan.FromDays(60); break;
            case "ShutdownTimeout": options.ShutdownTimeout = TimeSpan.FromDays(60); break;
            default: options.MaxEnqueueWait = TimeSpan.FromDays(30); break;
        }

        Action act = () => _ = new ComplianceLogRecorder(new GatedStore(), options);

        act.Should().Throw<ArgumentException>().WithMessage($"*{setting} must be*");
    }

    internal static ComplianceLogOptions Options(int capacity = 1_000, int batch = 100, TimeSpan? wait = null) => new()
    {
        Stream = "test",
        QueueCapacity = capacity,
        MaxBatchSize = batch,
        MaxEnqueueWait = wait ?? TimeSpan.FromSeconds(2),
        PseudonymizationKey = LogReading.Key(),
    };
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MetaModel.Compliance;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.PostgreSql;
using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Sqlite;
using MetaModel.Compliance.Storage;

namespace MetaModel.Benchmarks.Compliance;

/// <summary>
/// Throughput of the whole writer: records enqueued, encoded (pseudonyms, redaction, canonical JSON), hashed and
/// appended in batches, until a flush returns. One operation is one record; records/s = 1 s / mean.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
#pragma warning disable CA1001 // BenchmarkDotNet disposes through the cleanup methods, not IDisposable.
public class WriterBenchmarks
{
    private const int Records = 50_000;
    private OutcomeRecord[] _records = [];
    private string _folder = string.Empty;
    private IComplianceLogStore? _store;
    private ComplianceLogRecorder? _recorder;
    private readonly string _schema = BenchmarkData.NewSchema("mm_bench_");

    [Params("sqlite-full", "sqlite-normal", "postgres")]
    public string Store { get; set; } = "sqlite-full";

    [Params(1_000)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _records = Enumerable.Range(0, Records).Select(i => BenchmarkData.Outcome(i)).ToArray();
        _folder = Path.Combine(Path.GetTempPath(), "metamodel-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _store = Store switch
        {
            "sqlite-full" => SqliteComplianceLogStore.Open(Path.Combine(_folder, "log.db")),
            "sqlite-normal" => SqliteComplianceLogStore.Open(
                Path.Combine(_folder, "log.db"),
                new SqliteComplianceLogStoreOptions { SynchronousFull = false }),
            _ => PostgreSqlComplianceLogStore.Open(
                BenchmarkData.PostgresConnectionString,
                new PostgreSqlComplianceLogStoreOptions { Schema = _schema }),
        };
        _recorder = new ComplianceLogRecorder(
            _store,
            new ComplianceLogOptions
            {
                QueueCapacity = 16_384,
                MaxBatchSize = BatchSize,
                PseudonymizationKey = BenchmarkData.Key,
            });
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public async Task RecordAndFlush()
    {
        ComplianceLogRecorder recorder = _recorder!;
        foreach (OutcomeRecord record in _records)
        {
            recorder.RecordOutcome(record);
        }

        await recorder.FlushAsync().ConfigureAwait(false);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _recorder!.DisposeAsync().ConfigureAwait(false);
        await _store!.DisposeAsync().ConfigureAwait(false);
        if (Store == "postgres")
        {
            await BenchmarkData.DropSchemaAsync(_schema).ConfigureAwait(false);
        }

        Directory.Delete(_folder, recursive: true);
    }
}
#pragma warning restore CA1001

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MetaModel.Compliance;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.PostgreSql;
using MetaModel.Compliance.Privacy;
using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Sqlite;
using MetaModel.Compliance.Storage;

namespace MetaModel.Benchmarks.Compliance;

/// <summary>
/// The writer's two costs apart: encoding one outcome (canonical JSON, no I/O), and appending already encoded
/// entries to a store in batches (hashing and inserting). One operation is one record.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class StoreAppendBenchmarks
{
    private const int Records = 50_000;
    private List<PendingEntry> _pending = [];
    private OutcomeRecord[] _records = [];
    private LogEntryEncoder? _encoder;
    private IComplianceLogStore? _store;
    private string _folder = string.Empty;
    private long _next;
    private readonly string _schema = BenchmarkData.NewSchema("mm_bench_");

    [Params("sqlite-full", "postgres")]
    public string Store { get; set; } = "sqlite-full";

    [GlobalSetup]
    public void Setup()
    {
        _records = Enumerable.Range(0, Records).Select(i => BenchmarkData.Outcome(i)).ToArray();
        _encoder = new LogEntryEncoder(new Pseudonymizer(BenchmarkData.Key, "k1"), new ContentRedactor(), 436);
        _folder = Path.Combine(Path.GetTempPath(), "metamodel-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _store = Store == "postgres"
            ? PostgreSqlComplianceLogStore.Open(
                BenchmarkData.PostgresConnectionString,
                new PostgreSqlComplianceLogStoreOptions { Schema = _schema })
            : SqliteComplianceLogStore.Open(Path.Combine(_folder, "log.db"));
    }

    [IterationSetup(Target = nameof(Append))]
    public void MakeEntries()
    {
        _pending = BenchmarkData.Pending(Records, _next);
        _next += Records;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public int Encode()
    {
        int bytes = 0;
        foreach (OutcomeRecord record in _records)
        {
            bytes += _encoder!.Encode(record).Payload.Length;
        }

        return bytes;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public async Task Append()
    {
        for (int start = 0; start < Records; start += 1_000)
        {
            _ = await _store!.AppendAsync("bench", _pending.GetRange(start, 1_000)).ConfigureAwait(false);
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _store!.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_folder, recursive: true);
        if (Store == "postgres")
        {
            await BenchmarkData.DropSchemaAsync(_schema).ConfigureAwait(false);
        }
    }
}

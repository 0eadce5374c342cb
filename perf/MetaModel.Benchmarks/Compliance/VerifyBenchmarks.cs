using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MetaModel.Compliance;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Sqlite;

namespace MetaModel.Benchmarks.Compliance;

/// <summary>Verifying a chain of one million entries stored in SQLite, read and hashed end to end.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class VerifyBenchmarks
{
    private string _folder = string.Empty;
    private SqliteComplianceLogStore? _store;

    [Params(1_000_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "metamodel-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _store = SqliteComplianceLogStore.Open(
            Path.Combine(_folder, "log.db"),
            new SqliteComplianceLogStoreOptions { SynchronousFull = false });
        for (int written = 0; written < Entries; written += 10_000)
        {
            _ = await _store.AppendAsync("bench", BenchmarkData.Pending(Math.Min(10_000, Entries - written), written))
                .ConfigureAwait(false);
        }
    }

    [Benchmark]
    public async Task<bool> Verify()
    {
        VerificationReport report = await ChainVerifier.VerifyAsync(_store!, "bench").ConfigureAwait(false);
        return report.IsValid && report.EntryCount == Entries
            ? true
            : throw new InvalidOperationException("The benchmark chain does not verify.");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _store!.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_folder, recursive: true);
    }
}

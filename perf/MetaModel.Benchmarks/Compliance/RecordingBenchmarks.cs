using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using MetaModel.Compliance;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Storage;

namespace MetaModel.Benchmarks.Compliance;

/// <summary>
/// What recording adds to the request path: one <c>RecordOutcome</c> call, which only enqueues. The writer is held
/// back (its store waits) so the queue never fills and the enqueue alone is measured.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: 1)]
#pragma warning disable CA1001 // BenchmarkDotNet disposes through the cleanup methods, not IDisposable.
public class RecordingBenchmarks
{
    private const int Records = 200_000;
    private OutcomeRecord[] _records = [];
    private ComplianceLogRecorder? _recorder;
    private HeldStore? _store;

    [GlobalSetup]
    public void Setup() => _records = Enumerable.Range(0, Records).Select(i => BenchmarkData.Outcome(i)).ToArray();

    [IterationSetup]
    public void StartRecorder()
    {
        _store = new HeldStore();
        _recorder = new ComplianceLogRecorder(
            _store,
            new ComplianceLogOptions
            {
                QueueCapacity = Records + 1,
                MaxBatchSize = 1_000,
                PseudonymizationKey = BenchmarkData.Key,
            });
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public void RecordOutcome()
    {
        ComplianceLogRecorder recorder = _recorder!;
        foreach (OutcomeRecord record in _records)
        {
            recorder.RecordOutcome(record);
        }
    }

    [IterationCleanup]
    public void StopRecorder()
    {
        _store!.Release();
        _recorder!.Dispose();
    }

    /// <summary>A store whose first append waits until released, so the writer takes nothing from the queue meanwhile.</summary>
    private sealed class HeldStore : IComplianceLogStore
    {
        private readonly InMemoryComplianceLogStore _inner = new();
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Description => "held";

        public void Release() => _release.TrySetResult();

        public async ValueTask<ChainHead> AppendAsync(
            string stream,
            IReadOnlyList<PendingEntry> entries,
            CancellationToken cancellationToken = default)
        {
            await _release.Task.ConfigureAwait(false);
            return new ChainHead(stream, 0, HashChain.GenesisHex, DateTimeOffset.MinValue);
        }

        public ValueTask<RetentionResult> DeleteBeforeAsync(
            string stream,
            DateTimeOffset cutoff,
            DateTimeOffset now,
            CancellationToken cancellationToken = default) =>
            _inner.DeleteBeforeAsync(stream, cutoff, now, cancellationToken);

        public ValueTask<IReadOnlyList<string>> GetStreamsAsync(CancellationToken cancellationToken = default) =>
            _inner.GetStreamsAsync(cancellationToken);

        public ValueTask<StreamState?> GetStreamStateAsync(string stream, CancellationToken cancellationToken = default) =>
            _inner.GetStreamStateAsync(stream, cancellationToken);

        public IAsyncEnumerable<RetentionRun> ReadCheckpointHistoryAsync(
            string stream,
            CancellationToken cancellationToken = default) =>
            _inner.ReadCheckpointHistoryAsync(stream, cancellationToken);

        public IAsyncEnumerable<LogEntry> ReadAsync(
            string stream,
            long afterSequence = 0,
            CancellationToken cancellationToken = default) =>
            _inner.ReadAsync(stream, afterSequence, cancellationToken);

        public ValueTask DisposeAsync() => default;
    }
}
#pragma warning restore CA1001

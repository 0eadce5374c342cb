using System.Runtime.CompilerServices;
using MetaModel.Compliance.Chain;

namespace MetaModel.Compliance.Storage;

/// <summary>A decision log kept in memory: for tests, samples and as the reference behaviour of a store.</summary>
/// <remarks>Nothing survives the process. One lock guards every stream; all members are thread-safe.</remarks>
public sealed class InMemoryComplianceLogStore : IComplianceLogStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, StreamData> _streams = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string Description => "in-memory (not durable)";

    /// <inheritdoc/>
    public ValueTask<ChainHead> AppendAsync(
        string stream,
        IReadOnlyList<PendingEntry> entries,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(entries);
        cancellationToken.ThrowIfCancellationRequested();

        lock (_lock)
        {
            StreamData data = GetOrAdd(stream);
            LogEntry[] sealedEntries = HashChain.Seal(stream, data.HeadSequence, data.HeadHash, entries);
            data.Entries.AddRange(sealedEntries);
            if (sealedEntries.Length > 0)
            {
                LogEntry last = sealedEntries[^1];
                data.HeadSequence = last.Sequence;
                data.HeadHash = last.Hash;
                data.HeadTime = last.Timestamp;
            }

            return new ValueTask<ChainHead>(data.Head(stream));
        }
    }

    /// <inheritdoc/>
    public ValueTask<RetentionResult> DeleteBeforeAsync(
        string stream,
        DateTimeOffset cutoff,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        lock (_lock)
        {
            if (!_streams.TryGetValue(stream, out StreamData? data))
            {
                return new ValueTask<RetentionResult>(new RetentionResult(stream, 0, ChainCheckpoint.Genesis));
            }

            int count = 0;
            while (count < data.Entries.Count && data.Entries[count].Timestamp < cutoff)
            {
                count++;
            }

            if (count == 0)
            {
                return new ValueTask<RetentionResult>(new RetentionResult(stream, 0, data.Checkpoint));
            }

            LogEntry last = data.Entries[count - 1];
            data.Checkpoint = new ChainCheckpoint(last.Sequence, HashChain.ToHex(last.Hash), last.Timestamp);
            data.Entries.RemoveRange(0, count);
            data.History.Add(new RetentionRun(data.Checkpoint, count, HashChain.TruncateToMilliseconds(now)));
            LogEntry[] retention = HashChain.Seal(
                stream,
                data.HeadSequence,
                data.HeadHash,
                [RetentionEntry.Create(data.Checkpoint, count, cutoff, now)]);
            data.Entries.Add(retention[0]);
            data.HeadSequence = retention[0].Sequence;
            data.HeadHash = retention[0].Hash;
            data.HeadTime = retention[0].Timestamp;
            return new ValueTask<RetentionResult>(new RetentionResult(stream, count, data.Checkpoint));
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> GetStreamsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return new ValueTask<IReadOnlyList<string>>(_streams.Keys.ToArray());
        }
    }

    /// <inheritdoc/>
    public ValueTask<StreamState?> GetStreamStateAsync(string stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (_lock)
        {
            return new ValueTask<StreamState?>(_streams.TryGetValue(stream, out StreamData? data)
                ? new StreamState(data.Head(stream), data.Checkpoint)
                : null);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<RetentionRun> ReadCheckpointHistoryAsync(
        string stream,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        RetentionRun[] snapshot;
        lock (_lock)
        {
            snapshot = _streams.TryGetValue(stream, out StreamData? data) ? [.. data.History] : [];
        }

        foreach (RetentionRun run in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return run;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<LogEntry> ReadAsync(
        string stream,
        long afterSequence = 0,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        LogEntry[] snapshot;
        lock (_lock)
        {
            snapshot = _streams.TryGetValue(stream, out StreamData? data)
                ? data.Entries.Where(e => e.Sequence > afterSequence).OrderBy(e => e.Sequence).ToArray()
                : [];
        }

        foreach (LogEntry entry in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => default;

    /// <summary>Changes the stored entries of a stream directly, as an attacker with write access could.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="change">Changes the list of entries.</param>
    internal void Tamper(string stream, Action<List<LogEntry>> change)
    {
        lock (_lock)
        {
            change(_streams[stream].Entries);
        }
    }

    private StreamData GetOrAdd(string stream)
    {
        if (!_streams.TryGetValue(stream, out StreamData? data))
        {
            data = new StreamData();
            _streams.Add(stream, data);
        }

        return data;
    }

    private sealed class StreamData
    {
        public List<LogEntry> Entries { get; } = [];

        public long HeadSequence { get; set; }

        public byte[] HeadHash { get; set; } = HashChain.GenesisHash();

        public DateTimeOffset HeadTime { get; set; } = DateTimeOffset.MinValue;

        public ChainCheckpoint Checkpoint { get; set; } = ChainCheckpoint.Genesis;

        public List<RetentionRun> History { get; } = [];

        public ChainHead Head(string stream) => new(stream, HeadSequence, HashChain.ToHex(HeadHash), HeadTime);
    }
}

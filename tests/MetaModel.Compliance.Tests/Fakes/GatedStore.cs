using System.Runtime.CompilerServices;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Storage;

namespace MetaModel.Compliance.Tests.Fakes;

/// <summary>An in-memory store whose appends wait for a gate, or fail, as a slow or broken database would.</summary>
public sealed class GatedStore : IComplianceLogStore
{
    private readonly InMemoryComplianceLogStore _inner = new();
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GatedStore(bool open = true)
    {
        if (open)
        {
            _gate.SetResult();
        }
    }

    public InMemoryComplianceLogStore Inner => _inner;

    public Func<Exception>? Failure { get; set; }

    public int Appends { get; private set; }

    public string Description => "gated test store";

    public void Open() => _gate.TrySetResult();

    public void Close() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask<ChainHead> AppendAsync(
        string stream,
        IReadOnlyList<PendingEntry> entries,
        CancellationToken cancellationToken = default)
    {
        await _gate.Task.WaitAsync(cancellationToken);
        Appends++;
        if (Failure is { } failure)
        {
            throw failure();
        }

        return await _inner.AppendAsync(stream, entries, cancellationToken);
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

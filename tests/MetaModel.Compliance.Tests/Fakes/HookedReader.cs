using System.Runtime.CompilerServices;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Storage;

namespace MetaModel.Compliance.Tests.Fakes;

/// <summary>
/// Reads a store and runs a step once at a chosen point of a verification, as a writer that commits between the
/// verifier's reads would.
/// </summary>
public sealed class HookedReader(IComplianceLogReader inner) : IComplianceLogReader
{
    /// <summary>Gets or sets a step run once, after the first read of a stream's record returns its result.</summary>
    public Func<Task>? AfterFirstState { get; set; }

    /// <summary>Gets or sets a step run once, before the first read of a stream's checkpoint history.</summary>
    public Func<Task>? BeforeFirstHistory { get; set; }

    public ValueTask<IReadOnlyList<string>> GetStreamsAsync(CancellationToken cancellationToken = default) =>
        inner.GetStreamsAsync(cancellationToken);

    public async ValueTask<StreamState?> GetStreamStateAsync(string stream, CancellationToken cancellationToken = default)
    {
        StreamState? state = await inner.GetStreamStateAsync(stream, cancellationToken);
        if (AfterFirstState is { } step)
        {
            AfterFirstState = null;
            await step();
        }

        return state;
    }

    public async IAsyncEnumerable<RetentionRun> ReadCheckpointHistoryAsync(
        string stream,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (BeforeFirstHistory is { } step)
        {
            BeforeFirstHistory = null;
            await step();
        }

        await foreach (RetentionRun run in inner.ReadCheckpointHistoryAsync(stream, cancellationToken))
        {
            yield return run;
        }
    }

    public IAsyncEnumerable<LogEntry> ReadAsync(
        string stream,
        long afterSequence = 0,
        CancellationToken cancellationToken = default) =>
        inner.ReadAsync(stream, afterSequence, cancellationToken);
}

using MetaModel.Compliance.Chain;

namespace MetaModel.Compliance.Storage;

/// <summary>A durable, append-only decision log: one hash chain per stream.</summary>
/// <remarks>
/// <para>
/// <see cref="AppendAsync"/> must read the stream's head and append after it as one atomic step, so that several
/// writers (threads, processes, machines) sharing a store keep one unbroken chain per stream: the store holds the
/// stream's write lock while it calls <see cref="HashChain.Seal"/> with the head it read under that lock.
/// </para>
/// <para>A batch is appended entirely or not at all. Implementations are thread-safe.</para>
/// </remarks>
public interface IComplianceLogStore : IComplianceLogReader, IAsyncDisposable
{
    /// <summary>Gets a description of the store for the system passport, without secrets such as passwords.</summary>
    string Description { get; }

    /// <summary>Appends entries to the end of a stream, creating it if needed.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="entries">The entries, in order; at least one.</param>
    /// <param name="cancellationToken">Cancels the append; a cancelled batch is not appended.</param>
    /// <returns>The stream's new head.</returns>
    ValueTask<ChainHead> AppendAsync(
        string stream,
        IReadOnlyList<PendingEntry> entries,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the oldest entries of a stream, those before <paramref name="cutoff"/>, keeping the chain verifiable.
    /// </summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cutoff">Entries older than this are deleted, from the first one up to the first younger one.</param>
    /// <param name="now">The time written on the retention entry.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What was deleted, and the new checkpoint.</returns>
    /// <remarks>
    /// In one transaction: the hash and sequence of the last deleted entry become the stream's checkpoint and a row
    /// of its checkpoint history (<see cref="IComplianceLogReader.ReadCheckpointHistoryAsync"/>), the entries are
    /// deleted, and a <see cref="LogEntryKind.Retention"/> entry naming the checkpoint, the count and (as its time)
    /// <paramref name="now"/> is appended, so the chain itself records every deletion, and the verifier checks the
    /// history against it. Only a prefix is ever deleted: a younger entry stops the run.
    /// </remarks>
    ValueTask<RetentionResult> DeleteBeforeAsync(
        string stream,
        DateTimeOffset cutoff,
        DateTimeOffset now,
        CancellationToken cancellationToken = default);
}

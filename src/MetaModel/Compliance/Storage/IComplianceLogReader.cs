using MetaModel.Compliance.Chain;

namespace MetaModel.Compliance.Storage;

/// <summary>Reads the streams of a decision log, for verification and reports.</summary>
/// <remarks>Implementations are thread-safe; reading never blocks writers for long.</remarks>
public interface IComplianceLogReader
{
    /// <summary>Gets the names of the streams in the store, in ordinal order.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stream names.</returns>
    ValueTask<IReadOnlyList<string>> GetStreamsAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets the head and retention checkpoint the store recorded for a stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or <see langword="null"/> when the stream does not exist.</returns>
    ValueTask<StreamState?> GetStreamStateAsync(string stream, CancellationToken cancellationToken = default);

    /// <summary>Reads a stream's checkpoint history: one row per retention run that deleted entries.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows in ascending order of their checkpoint's sequence, as stored: nothing is checked here.</returns>
    IAsyncEnumerable<RetentionRun> ReadCheckpointHistoryAsync(string stream, CancellationToken cancellationToken = default);

    /// <summary>Reads a stream's entries in ascending sequence order.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="afterSequence">Only entries with a larger sequence are read; 0 reads all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries, as stored: nothing is checked here.</returns>
    IAsyncEnumerable<LogEntry> ReadAsync(
        string stream,
        long afterSequence = 0,
        CancellationToken cancellationToken = default);
}

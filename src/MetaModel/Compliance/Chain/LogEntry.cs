using System.Text;

namespace MetaModel.Compliance.Chain;

/// <summary>One sealed entry of a decision log stream.</summary>
/// <param name="Stream">The stream (one chain) the entry belongs to.</param>
/// <param name="Sequence">The 1-based position in the stream.</param>
/// <param name="Timestamp">The record's time at millisecond precision.</param>
/// <param name="Kind">What the payload holds.</param>
/// <param name="Payload">The canonical UTF-8 JSON payload.</param>
/// <param name="PreviousHash">The hash of the entry before it, or of the retention checkpoint, or 32 zero bytes.</param>
/// <param name="Hash">The entry's hash, <see cref="HashChain.ComputeHash"/> of the fields above but the sequence.</param>
/// <remarks>The arrays are shared, not copied: treat them as read-only.</remarks>
public sealed record LogEntry(
    string Stream,
    long Sequence,
    DateTimeOffset Timestamp,
    LogEntryKind Kind,
    byte[] Payload,
    byte[] PreviousHash,
    byte[] Hash)
{
    /// <summary>Gets the payload as text.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload);
}

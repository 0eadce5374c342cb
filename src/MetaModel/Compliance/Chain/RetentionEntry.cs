using System.Globalization;
using System.Text.Json;

namespace MetaModel.Compliance.Chain;

/// <summary>The entry a retention run appends: which entries it deleted and the checkpoint it left.</summary>
/// <remarks>
/// Payload members: <c>checkpointHash</c>, <c>checkpointSequence</c>, <c>checkpointTimestamp</c>, <c>cutoff</c>,
/// <c>deletedCount</c>, <c>v</c>. Stores call <see cref="Create"/> inside the retention transaction.
/// </remarks>
public static class RetentionEntry
{
    /// <summary>Encodes the retention entry of a run.</summary>
    /// <param name="checkpoint">The checkpoint after the run.</param>
    /// <param name="deletedCount">How many entries the run deleted.</param>
    /// <param name="cutoff">The run's cutoff.</param>
    /// <param name="now">When the run happened: the entry's timestamp.</param>
    /// <returns>The pending entry.</returns>
    public static PendingEntry Create(ChainCheckpoint checkpoint, long deletedCount, DateTimeOffset cutoff, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var writer = new CanonicalJsonWriter(256);
        writer.StartObject();
        writer.Property("checkpointHash", checkpoint.Hash);
        writer.Property("checkpointSequence", checkpoint.Sequence);
        writer.Property("checkpointTimestamp", checkpoint.Timestamp);
        writer.Property("cutoff", cutoff);
        writer.Property("deletedCount", deletedCount);
        writer.Property("v", 1L);
        writer.EndObject();
        return new PendingEntry(now, LogEntryKind.Retention, writer.ToArray());
    }

    /// <summary>Reads the checkpoint a retention entry names.</summary>
    /// <param name="entry">A <see cref="LogEntryKind.Retention"/> entry.</param>
    /// <param name="checkpoint">The checkpoint, when the payload could be read.</param>
    /// <returns>Whether the payload could be read.</returns>
    public static bool TryReadCheckpoint(LogEntry entry, out ChainCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(entry);
        checkpoint = ChainCheckpoint.Genesis;
        if (entry.Kind != LogEntryKind.Retention)
        {
            return false;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(entry.Payload);
            JsonElement root = document.RootElement;
            checkpoint = new ChainCheckpoint(
                root.GetProperty("checkpointSequence").GetInt64(),
                root.GetProperty("checkpointHash").GetString() ?? string.Empty,
                DateTimeOffset.Parse(
                    root.GetProperty("checkpointTimestamp").GetString()!,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal));
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }
}

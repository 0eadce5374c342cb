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
    public static bool TryReadCheckpoint(LogEntry entry, out ChainCheckpoint checkpoint) =>
        TryReadCheckpoint(entry, out checkpoint, out _);

    /// <summary>Reads the checkpoint a retention entry names and how many entries its run deleted.</summary>
    /// <param name="entry">A <see cref="LogEntryKind.Retention"/> entry.</param>
    /// <param name="checkpoint">The checkpoint, when the payload could be read.</param>
    /// <param name="deletedCount">How many entries the run deleted, when the payload could be read.</param>
    /// <returns>Whether the payload could be read; an edited payload of any shape is reported as unreadable.</returns>
    public static bool TryReadCheckpoint(LogEntry entry, out ChainCheckpoint checkpoint, out long deletedCount)
    {
        ArgumentNullException.ThrowIfNull(entry);
        checkpoint = ChainCheckpoint.Genesis;
        deletedCount = 0;
        if (entry.Kind != LogEntryKind.Retention)
        {
            return false;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(entry.Payload);
            JsonElement root = document.RootElement;
            string? timestamp = root.GetProperty("checkpointTimestamp").GetString();
            if (timestamp is null)
            {
                return false;
            }

            checkpoint = new ChainCheckpoint(
                root.GetProperty("checkpointSequence").GetInt64(),
                root.GetProperty("checkpointHash").GetString() ?? string.Empty,
                DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
            deletedCount = root.GetProperty("deletedCount").GetInt64();
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            checkpoint = ChainCheckpoint.Genesis;
            deletedCount = 0;
            return false;
        }
    }
}

using System.Globalization;
using System.Text.Json;

namespace MetaModel.Compliance.Chain;

/// <summary>The last entry of a stream, to anchor the chain somewhere the log's writers cannot change.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="Sequence">The last entry's sequence; 0 for an empty stream.</param>
/// <param name="Hash">The last entry's hash as 64 lowercase hex digits.</param>
/// <param name="Timestamp">The last entry's time.</param>
/// <remarks>
/// A verifier given an anchored head checks that the entry at <see cref="Sequence"/> still has <see cref="Hash"/>,
/// which detects a log rewritten from an earlier point, or cut short, by someone able to write to the store.
/// </remarks>
public sealed record ChainHead(string Stream, long Sequence, string Hash, DateTimeOffset Timestamp)
{
    /// <summary>
    /// Writes the head as one JSON object with <c>stream</c>, <c>sequence</c>, <c>hash</c> and <c>timestamp</c>.
    /// </summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("stream", Stream);
            writer.WriteNumber("sequence", Sequence);
            writer.WriteString("hash", Hash);
            writer.WriteString("timestamp", Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a head written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The head.</returns>
    /// <exception cref="FormatException">The text is not a head.</exception>
    public static ChainHead Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            string hash = root.GetProperty("hash").GetString() ?? string.Empty;
            if (!HashChain.IsHex(hash))
            {
                throw new FormatException("The head's hash must be 64 hex digits.");
            }

            return new ChainHead(
                root.GetProperty("stream").GetString() ?? string.Empty,
                root.GetProperty("sequence").GetInt64(),
                hash.ToLowerInvariant(),
                root.GetProperty("timestamp").GetDateTimeOffset());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException("The text is not a chain head (stream, sequence, hash, timestamp): " + ex.Message, ex);
        }
    }
}

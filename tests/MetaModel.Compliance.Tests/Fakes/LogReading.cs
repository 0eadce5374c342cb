using System.Text.Json;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Storage;

namespace MetaModel.Compliance.Tests.Fakes;

public static class LogReading
{
    public static async Task<List<LogEntry>> AllAsync(IComplianceLogReader reader, string stream)
    {
        var entries = new List<LogEntry>();
        await foreach (LogEntry entry in reader.ReadAsync(stream))
        {
            entries.Add(entry);
        }

        return entries;
    }

    public static JsonElement Json(LogEntry entry) => JsonDocument.Parse(entry.Payload).RootElement.Clone();

    public static byte[] Key() => Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
}

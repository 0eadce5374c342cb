using System.Text;
using MetaModel.Compliance;
using MetaModel.Compliance.Chain;

namespace MetaModel.Benchmarks.Compliance;

/// <summary>Records and payloads shaped like real traffic, made the same way on every run.</summary>
internal static class BenchmarkData
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("METAMODEL_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=5432;Username=metamodel;Password=metamodel;Database=metamodel_test";

    public static byte[] Key { get; } = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static OutcomeRecord Outcome(long i) => new(
        "0190d5a6f1e07c3a8b2f" + i.ToString("x12", System.Globalization.CultureInfo.InvariantCulture),
        Start.AddMilliseconds(i),
        "gpt-4o-mini",
        true,
        "stop",
        false,
        17,
        812,
        231,
        0.000261m,
        false,
        0.1187,
        TimeSpan.FromMilliseconds(912),
        null,
        null);

    /// <summary>Makes a schema name for one run's PostgreSQL tables.</summary>
    public static string NewSchema(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Drops a run's PostgreSQL schema, so runs leave nothing behind.</summary>
    public static async Task DropSchemaAsync(string schema)
    {
        await using var connection = new Npgsql.NpgsqlConnection(PostgresConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        _ = await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>A typical outcome payload of about 400 bytes, as the recorder encodes it.</summary>
    public static List<PendingEntry> Pending(int count, long first)
    {
        var entries = new List<PendingEntry>(count);
        for (int i = 0; i < count; i++)
        {
            long n = first + i;
            string json =
                "{\"answeredBy\":\"gpt-4o-mini\",\"costIsEstimated\":false,\"costUsd\":0.000261," +
                "\"decisionId\":\"0190d5a6f1e07c3a8b2f" +
                n.ToString("x12", System.Globalization.CultureInfo.InvariantCulture) +
                "\",\"durationTicks\":9120000,\"emissionsGrams\":0.0517532,\"energyWh\":0.1187,\"finishReason\":\"stop\"," +
                "\"gridIntensity\":436,\"inputTokens\":812,\"outputTokens\":231,\"succeeded\":true," +
                "\"timestamp\":\"2026-03-01T00:00:00.0000000Z\"," +
                "\"truncated\":false,\"updateCount\":17,\"v\":1}";
            entries.Add(new PendingEntry(Start.AddMilliseconds(n), LogEntryKind.Outcome, Encoding.UTF8.GetBytes(json)));
        }

        return entries;
    }
}

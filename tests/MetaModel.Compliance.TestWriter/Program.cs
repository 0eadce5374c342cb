using MetaModel.Compliance;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.PostgreSql;
using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Sqlite;
using MetaModel.Compliance.Storage;

// Usage: TestWriter sqlite PATH STREAM COUNT | TestWriter postgres CONNECTION-STRING SCHEMA STREAM COUNT
// Writes COUNT outcome records through a recorder (COUNT 0: until killed), printing "stored N" after each
// flush, so a test can kill it mid-write and check what the log kept.
IComplianceLogStore store = args[0] == "sqlite"
    ? SqliteComplianceLogStore.Open(args[1])
    : PostgreSqlComplianceLogStore.Open(args[1], new PostgreSqlComplianceLogStoreOptions { Schema = args[2] });
string stream = args[0] == "sqlite" ? args[2] : args[3];
long count = long.Parse(args[0] == "sqlite" ? args[3] : args[4], System.Globalization.CultureInfo.InvariantCulture);

var options = new ComplianceLogOptions
{
    Stream = stream,
    PseudonymizationKey = new byte[32],
    QueueCapacity = 4096,
    MaxBatchSize = 200,
};
await using (var recorder = new ComplianceLogRecorder(store, options))
{
    for (long i = 1; count == 0 || i <= count; i++)
    {
        recorder.RecordOutcome(new OutcomeRecord(
            $"d{Environment.ProcessId}-{i}",
            DateTimeOffset.UtcNow,
            "A",
            true,
            "stop",
            false,
            0,
            100,
            20,
            0.0001m,
            false,
            0.01,
            TimeSpan.FromMilliseconds(5),
            null,
            null));
        if (i % 500 == 0)
        {
            await recorder.FlushAsync();
            StreamState? state = await store.GetStreamStateAsync(stream);
            Console.WriteLine($"stored {state?.Head.Sequence ?? 0}");
        }
    }
}

await store.DisposeAsync();
Console.WriteLine("done");

using System.Diagnostics;
using MetaModel.Compliance;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.PostgreSql;
using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Sqlite;
using MetaModel.Compliance.Storage;

namespace MetaModel.Benchmarks.Compliance;

/// <summary>
/// A plain measurement beside BenchmarkDotNet for a shared, overloaded machine: each scenario reports its wall time
/// and the CPU time the process used, and the rate by each. On an idle machine the two rates agree; when other
/// processes take the cores, the CPU-time rate shows what the code costs. Run with <c>-- --compliance-cpu-probe</c>.
/// </summary>
internal static class CpuTimeProbe
{
    public static async Task RunAsync(TextWriter output)
    {
        await output.WriteLineAsync("| Scenario | Records | Wall (s) | CPU (s) | Rate by wall (/s) | Rate by CPU (/s) |")
            .ConfigureAwait(false);
        await output.WriteLineAsync("|---|---|---|---|---|---|").ConfigureAwait(false);
        string folder = Path.Combine(Path.GetTempPath(), "metamodel-probe", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await SealAsync(output, 200_000).ConfigureAwait(false);
            await AppendAsync(
                output,
                "append encoded entries to SQLite (synchronous=NORMAL)",
                200_000,
                () => SqliteComplianceLogStore.Open(
                    Path.Combine(folder, "append.db"),
                    new SqliteComplianceLogStoreOptions { SynchronousFull = false })).ConfigureAwait(false);
            await ProbeAsync(output, "recorder + SQLite (synchronous=FULL)", 200_000, () => SqliteComplianceLogStore.Open(
                Path.Combine(folder, "full.db"))).ConfigureAwait(false);
            await ProbeAsync(output, "recorder + SQLite (synchronous=NORMAL)", 200_000, () => SqliteComplianceLogStore.Open(
                Path.Combine(folder, "normal.db"),
                new SqliteComplianceLogStoreOptions { SynchronousFull = false })).ConfigureAwait(false);
            string schema = BenchmarkData.NewSchema("mm_probe_");
            await ProbeAsync(output, "recorder + PostgreSQL", 200_000, () => PostgreSqlComplianceLogStore.Open(
                BenchmarkData.PostgresConnectionString,
                new PostgreSqlComplianceLogStoreOptions { Schema = schema })).ConfigureAwait(false);
            await BenchmarkData.DropSchemaAsync(schema).ConfigureAwait(false);
            await VerifyAsync(output, Path.Combine(folder, "verify.db"), 1_000_000).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task ProbeAsync(TextWriter output, string name, int count, Func<IComplianceLogStore> open)
    {
        OutcomeRecord[] records = Enumerable.Range(0, count).Select(i => BenchmarkData.Outcome(i)).ToArray();
        await using IComplianceLogStore store = open();
        await using var recorder = new ComplianceLogRecorder(
            store,
            new ComplianceLogOptions { QueueCapacity = 16_384, MaxBatchSize = 1_000, PseudonymizationKey = BenchmarkData.Key });
        (TimeSpan wall, TimeSpan cpu) = await MeasureAsync(async () =>
        {
            foreach (OutcomeRecord record in records)
            {
                recorder.RecordOutcome(record);
            }

            await recorder.FlushAsync().ConfigureAwait(false);
        }).ConfigureAwait(false);
        await WriteAsync(output, name, count, wall, cpu).ConfigureAwait(false);
    }

    private static async Task SealAsync(TextWriter output, int count)
    {
        List<PendingEntry> pending = BenchmarkData.Pending(count, 0);
        (TimeSpan wall, TimeSpan cpu) = await MeasureAsync(() =>
        {
            _ = HashChain.Seal("bench", 0, HashChain.GenesisHash(), pending);
            return Task.CompletedTask;
        }).ConfigureAwait(false);
        await WriteAsync(output, "hash and seal encoded entries (no I/O)", count, wall, cpu).ConfigureAwait(false);
    }

    private static async Task AppendAsync(TextWriter output, string name, int count, Func<IComplianceLogStore> open)
    {
        List<PendingEntry> pending = BenchmarkData.Pending(count, 0);
        await using IComplianceLogStore store = open();
        (TimeSpan wall, TimeSpan cpu) = await MeasureAsync(async () =>
        {
            for (int start = 0; start < count; start += 1_000)
            {
                _ = await store.AppendAsync("bench", pending.GetRange(start, 1_000)).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        await WriteAsync(output, name, count, wall, cpu).ConfigureAwait(false);
    }

    private static async Task VerifyAsync(TextWriter output, string path, int count)
    {
        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(
            path,
            new SqliteComplianceLogStoreOptions { SynchronousFull = false });
        for (int written = 0; written < count; written += 10_000)
        {
            _ = await store.AppendAsync("bench", BenchmarkData.Pending(10_000, written)).ConfigureAwait(false);
        }

        VerificationReport? report = null;
        (TimeSpan wall, TimeSpan cpu) = await MeasureAsync(async () =>
            report = await ChainVerifier.VerifyAsync(store, "bench").ConfigureAwait(false)).ConfigureAwait(false);
        if (report is not { IsValid: true } || report.EntryCount != count)
        {
            throw new InvalidOperationException("The probe chain does not verify.");
        }

        await WriteAsync(output, "verify a SQLite chain", count, wall, cpu).ConfigureAwait(false);
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> MeasureAsync(Func<Task> action)
    {
        GC.Collect();
        using Process process = Process.GetCurrentProcess();
        TimeSpan cpuBefore = process.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        await action().ConfigureAwait(false);
        TimeSpan wall = Stopwatch.GetElapsedTime(start);
        process.Refresh();
        return (wall, process.TotalProcessorTime - cpuBefore);
    }

    private static Task WriteAsync(TextWriter output, string name, int count, TimeSpan wall, TimeSpan cpu) =>
        output.WriteLineAsync(string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"| {name} | {count:N0} | {wall.TotalSeconds:0.00} | {cpu.TotalSeconds:0.00} | " +
            $"{count / wall.TotalSeconds:N0} | {count / cpu.TotalSeconds:N0} |"));
}

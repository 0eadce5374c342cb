using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Storage;

namespace MetaModel.Compliance.Tests.Fakes;

/// <summary>
/// Writes a stream through three retention runs, so that its checkpoint history holds one row whose retention entry a
/// later run deleted and two rows that retention entries of the remaining chain name.
/// </summary>
/// <remarks>
/// The runs leave checkpoints 3 (3 entries deleted; its retention entry, 4, was deleted by the next run), 4 (1
/// deleted, named by retention entry 8) and 7 (3 deleted, named by retention entry 12). Entries 8 to 14 remain.
/// </remarks>
public static class RetentionHistory
{
    public const long Unnamed = 3;

    public const long NamedByEntry8 = 4;

    public const long Last = 7;

    public static async Task WriteAsync(IComplianceLogStore store, string stream)
    {
        DateTimeOffset start = Records.Start;
        _ = await store.AppendAsync(stream, Chain.ChainVerifierTests.Pending(3, start.AddDays(-100)));
        _ = await store.DeleteBeforeAsync(stream, start.AddDays(-95), start.AddDays(-90));
        _ = await store.AppendAsync(stream, Chain.ChainVerifierTests.Pending(3, start.AddDays(-60)));
        _ = await store.DeleteBeforeAsync(stream, start.AddDays(-70), start.AddDays(-50));
        _ = await store.AppendAsync(stream, Chain.ChainVerifierTests.Pending(3, start.AddDays(-20)));
        _ = await store.DeleteBeforeAsync(stream, start.AddDays(-55), start.AddDays(-10));
        _ = await store.AppendAsync(stream, Chain.ChainVerifierTests.Pending(2, start));
    }

    public static async Task<List<RetentionRun>> ReadAsync(IComplianceLogReader reader, string stream)
    {
        var runs = new List<RetentionRun>();
        await foreach (RetentionRun run in reader.ReadCheckpointHistoryAsync(stream))
        {
            runs.Add(run);
        }

        return runs;
    }
}

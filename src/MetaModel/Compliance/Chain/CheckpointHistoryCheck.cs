using MetaModel.Compliance.Storage;

namespace MetaModel.Compliance.Chain;

/// <summary>Checks a stream's checkpoint history, one row per retention run, against the chain's retention entries.</summary>
/// <remarks>
/// <para>
/// A retention run deletes a prefix of the chain, writes the last deleted entry as a checkpoint row of the history,
/// and appends a Retention entry naming the same checkpoint, how many entries it deleted, and (as its own time) when
/// it ran. Later runs delete older Retention entries like any other entry. So:
/// </para>
/// <list type="bullet">
/// <item>each Retention entry left in the chain must have a row with its checkpoint, count and time: a missing row
/// was <b>deleted</b>, a different one <b>edited</b>;</item>
/// <item>from the checkpoint of the oldest Retention entry still in the chain on, every row must be named by one:
/// any other row was <b>forged</b>;</item>
/// <item>each run deleted the entries after the checkpoint of the run before it, so going back from the last
/// checkpoint by each run's deleted count visits every earlier checkpoint and ends at 0: a checkpoint the path
/// lands on without a row was deleted (or a count edited), and a row it passes by was forged.</item>
/// </list>
/// <para>
/// A row whose Retention entry a later run deleted is checked only for its place on that path and for values the
/// store could not have written: its hash and times are recorded nowhere that is left. The history is read into
/// memory, one small record per retention run.
/// </para>
/// </remarks>
internal static class CheckpointHistoryCheck
{
    public static async Task<List<ChainProblem>> CheckAsync(
        IComplianceLogReader reader,
        string stream,
        List<RetentionClaim> claims,
        bool anyUnreadable,
        CancellationToken cancellationToken)
    {
        var problems = new List<ChainProblem>();
        Dictionary<long, RetentionRun> rows = await ReadRowsAsync(reader, stream, problems, cancellationToken)
            .ConfigureAwait(false);

        // A Retention entry naming a checkpoint that an earlier one named is not one the writer appended; the chain's
        // own checks report how it got there, and the history is checked against the first.
        var attested = new Dictionary<long, RetentionClaim>();
        var settled = new HashSet<long>();
        foreach (RetentionClaim claim in claims)
        {
            long sequence = claim.Checkpoint.Sequence;
            if (!attested.TryAdd(sequence, claim))
            {
                continue;
            }

            _ = settled.Add(sequence);
            if (!rows.TryGetValue(sequence, out RetentionRun? row))
            {
                problems.Add(Problem(
                    stream,
                    sequence,
                    $"has no row for checkpoint {sequence}, which retention entry {claim.EntrySequence} recorded: " +
                    "the row was deleted."));
            }
            else if (!HashChain.IsHex(row.Checkpoint.Hash))
            {
                problems.Add(Unreadable(stream, sequence));
            }
            else if (Differences(row, claim) is { } differences)
            {
                problems.Add(Problem(
                    stream,
                    sequence,
                    $"holds checkpoint {sequence} with {differences} than retention entry {claim.EntrySequence} " +
                    "recorded: the row was edited."));
            }
        }

        long[] known = [.. rows.Keys.Union(attested.Keys).Order()];
        long last = claims.Count > 0 ? claims[^1].Checkpoint.Sequence : 0;
        Walk(stream, last, rows, attested, known, settled, problems);

        long oldest = attested.Count > 0 ? attested.Keys.Min() : long.MaxValue;
        foreach (long sequence in rows.Keys.Where(s => !settled.Contains(s)).Order())
        {
            string why = attested.Count == 0 && !anyUnreadable
                ? "but the chain records no retention run"
                : sequence >= oldest || attested.Count == 0
                    ? "that no retention entry of the chain names"
                    : $"that the history does not lead to (going back from checkpoint {oldest} by each run's deleted " +
                      "count passes it by)";
            string readings = anyUnreadable
                ? "the row was forged, or the retention entry naming it was edited"
                : "the row was forged";
            problems.Add(Problem(stream, sequence, $"has a row for checkpoint {sequence} {why}: {readings}."));
        }

        return problems;
    }

    private static async Task<Dictionary<long, RetentionRun>> ReadRowsAsync(
        IComplianceLogReader reader,
        string stream,
        List<ChainProblem> problems,
        CancellationToken cancellationToken)
    {
        var rows = new Dictionary<long, RetentionRun>();
        await foreach (RetentionRun row in reader.ReadCheckpointHistoryAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            long sequence = row.Checkpoint.Sequence;
            if (rows.TryGetValue(sequence, out RetentionRun? other))
            {
                // Only a value the store did not write (a fractional sequence, say) reads as a checkpoint that another
                // row holds; such a row has no hash. The readable one is checked, the other reported.
                if (!HashChain.IsHex(other.Checkpoint.Hash))
                {
                    rows[sequence] = row;
                }

                problems.Add(Unreadable(stream, sequence));
                continue;
            }

            rows.Add(sequence, row);
        }

        return rows;
    }

    private static void Walk(
        string stream,
        long last,
        Dictionary<long, RetentionRun> rows,
        Dictionary<long, RetentionClaim> attested,
        long[] known,
        HashSet<long> settled,
        List<ChainProblem> problems)
    {
        // Each step goes back by at least one entry, so the walk ends.
        long expected = last;
        long from = 0;
        long fromCount = 0;
        while (expected > 0)
        {
            bool hasRow = rows.TryGetValue(expected, out RetentionRun? row);
            bool isAttested = attested.TryGetValue(expected, out RetentionClaim claim);
            if (!hasRow && !isAttested)
            {
                string deleted = fromCount == 1 ? "the entry" : $"the {fromCount} entries";
                problems.Add(Problem(
                    stream,
                    expected,
                    $"has no row for checkpoint {expected}, although the run that left checkpoint {from} deleted " +
                    $"{deleted} after it: the row was deleted, the deleted count of checkpoint {from} was edited, or " +
                    "entries were deleted outside retention before that run."));
                expected = Below(known, expected);
                continue;
            }

            _ = settled.Add(expected);
            bool unreadable = !isAttested && !HashChain.IsHex(row!.Checkpoint.Hash);
            if (unreadable)
            {
                problems.Add(Unreadable(stream, expected));
            }

            long count = isAttested ? claim.DeletedCount : row!.DeletedCount;
            if (count <= 0 || count > expected)
            {
                // An unreadable row is reported once; either way the walk goes on from the checkpoint below.
                if (!unreadable)
                {
                    string source = isAttested ? $"retention entry {claim.EntrySequence}" : "its row";
                    problems.Add(Problem(
                        stream,
                        expected,
                        $"says the run that left checkpoint {expected} deleted {count} entries, but a run deletes at " +
                        $"least one entry and no more than there are up to its checkpoint: {source} was edited."));
                }

                expected = Below(known, expected);
                continue;
            }

            from = expected;
            fromCount = count;
            expected -= count;
        }
    }

    private static string? Differences(RetentionRun row, RetentionClaim claim)
    {
        var fields = new List<string>(4);
        if (!string.Equals(row.Checkpoint.Hash, claim.Checkpoint.Hash, StringComparison.OrdinalIgnoreCase))
        {
            fields.Add("hash");
        }

        if (row.Checkpoint.Timestamp != claim.Checkpoint.Timestamp)
        {
            fields.Add("time");
        }

        if (row.DeletedCount != claim.DeletedCount)
        {
            fields.Add("deleted count");
        }

        if (row.AppliedAt != claim.EntryTime)
        {
            fields.Add("run time");
        }

        return fields.Count switch
        {
            0 => null,
            1 => $"another {fields[0]}",
            _ => $"another {string.Join(", ", fields[..^1])} and {fields[^1]}",
        };
    }

    private static long Below(long[] known, long sequence)
    {
        int index = Array.BinarySearch(known, sequence);
        int below = (index >= 0 ? index : ~index) - 1;
        return below >= 0 ? known[below] : 0;
    }

    private static ChainProblem Unreadable(string stream, long sequence) => Problem(
        stream,
        sequence,
        $"holds checkpoint {sequence} with a value the store did not write (a hash that is not 64 hex digits, or a " +
        "value of another type or out of range): the row was edited.");

    private static ChainProblem Problem(string stream, long sequence, string what) =>
        new(sequence, ChainProblemKind.CheckpointMismatch, $"The checkpoint history of stream '{stream}' {what}");

    /// <summary>What a Retention entry of the chain says its run did.</summary>
    /// <param name="EntrySequence">The Retention entry's sequence.</param>
    /// <param name="EntryTime">The Retention entry's time: when the run happened.</param>
    /// <param name="Checkpoint">The checkpoint the run left.</param>
    /// <param name="DeletedCount">How many entries the run deleted.</param>
    internal readonly record struct RetentionClaim(
        long EntrySequence,
        DateTimeOffset EntryTime,
        ChainCheckpoint Checkpoint,
        long DeletedCount);
}

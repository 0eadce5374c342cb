using System.Runtime.InteropServices;
using MetaModel.Compliance.Storage;

namespace MetaModel.Compliance.Chain;

/// <summary>Explains a broken chain: which entries were edited, deleted, inserted or reordered.</summary>
/// <remarks>
/// <para>
/// Every entry is a node linked to the hash of its predecessor. Starting at the checkpoint, the chain is rebuilt by
/// following the links, preferring at a fork the branch that goes on longest. Then:
/// </para>
/// <list type="bullet">
/// <item>an entry whose hash does not match its content was <b>edited</b>;</item>
/// <item>a gap in the stored sequences means entries were <b>deleted</b>;</item>
/// <item>an entry that links to an entry already followed by another is <b>inserted</b>;</item>
/// <item>an entry the links place before an entry with a smaller sequence was <b>reordered</b>;</item>
/// <item>an entry that links to a hash no entry has, with no gap before it, follows an entry that was rewritten and
/// re-hashed, or entries that were deleted and renumbered: both readings are named.</item>
/// </list>
/// </remarks>
internal static class ChainDiagnosis
{
    public static async Task<List<ChainProblem>> ExplainAsync(
        IComplianceLogReader reader,
        string stream,
        ChainCheckpoint checkpoint,
        byte[] checkpointHash,
        CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        await foreach (LogEntry entry in reader.ReadAsync(stream, 0, cancellationToken).ConfigureAwait(false))
        {
            bool shaped = entry.Hash.Length == HashChain.HashSize && entry.PreviousHash.Length == HashChain.HashSize;
            rows.Add(new Row(
                entry.Sequence,
                shaped ? Key.Of(entry.PreviousHash) : default,
                shaped ? Key.Of(entry.Hash) : default,
                shaped && HashChain.HasValidHash(entry)));
        }

        var problems = new List<ChainProblem>();
        foreach (Row row in rows)
        {
            if (!row.ContentMatches)
            {
                problems.Add(new ChainProblem(
                    row.Sequence,
                    ChainProblemKind.Edited,
                    $"Entry {row.Sequence} does not match its hash: its content was changed after it was written."));
            }
        }

        var byHash = new Dictionary<Key, int>();
        var children = new Dictionary<Key, List<int>>();
        for (int i = 0; i < rows.Count; i++)
        {
            _ = byHash.TryAdd(rows[i].Hash, i);
            if (!children.TryGetValue(rows[i].Previous, out List<int>? list))
            {
                children[rows[i].Previous] = list = [];
            }

            list.Add(i);
        }

        Key start = Key.Of(checkpointHash);
        var used = new bool[rows.Count];
        var chain = new List<int>(rows.Count);
        var segmentStarts = new HashSet<int>();
        Key current = start;
        int next = 0;
        while (true)
        {
            int child = PickChild(children, used, current, next, rows);
            if (child >= 0)
            {
                used[child] = true;
                chain.Add(child);
                current = rows[child].Hash;
                next = child + 1;
                continue;
            }

            int orphan = Array.IndexOf(used, false);
            if (orphan < 0)
            {
                break;
            }

            Row row = rows[orphan];
            if (row.Previous == start || byHash.ContainsKey(row.Previous))
            {
                MarkInserted(orphan, rows, children, used, byHash, start, problems);
                continue;
            }

            ExplainBreak(orphan, rows, checkpoint, problems);
            used[orphan] = true;
            chain.Add(orphan);
            _ = segmentStarts.Add(orphan);
            current = row.Hash;
            next = orphan + 1;
        }

        ExplainOrder(chain, rows, problems);
        ExplainGaps(rows, checkpoint, problems);
        if (problems.Count == 0)
        {
            problems.Add(new ChainProblem(
                rows.Count > 0 ? rows[0].Sequence : checkpoint.Sequence,
                ChainProblemKind.Edited,
                "The chain does not verify, and the damage could not be located."));
        }

        return problems;
    }

    private static int PickChild(Dictionary<Key, List<int>> children, bool[] used, Key parent, int preferred, List<Row> rows)
    {
        if (!children.TryGetValue(parent, out List<int>? candidates))
        {
            return -1;
        }

        int best = -1;
        int bestLength = -1;
        foreach (int candidate in candidates)
        {
            if (used[candidate])
            {
                continue;
            }

            // At a fork, the branch that goes on longest is the chain; a dead end beside it was inserted.
            int length = candidates.Count == 1 ? 0 : ChainLength(children, used, candidate, rows);
            if (length > bestLength || (length == bestLength && candidate == preferred))
            {
                best = candidate;
                bestLength = length;
            }
        }

        return best;
    }

    private static int ChainLength(Dictionary<Key, List<int>> children, bool[] used, int from, List<Row> rows)
    {
        int length = 0;
        var seen = new HashSet<int> { from };
        Key current = rows[from].Hash;
        while (children.TryGetValue(current, out List<int>? next))
        {
            int pick = -1;
            foreach (int candidate in next)
            {
                if (!used[candidate] && seen.Add(candidate))
                {
                    pick = candidate;
                    break;
                }
            }

            if (pick < 0)
            {
                break;
            }

            length++;
            current = rows[pick].Hash;
        }

        return length;
    }

    private static void MarkInserted(
        int orphan,
        List<Row> rows,
        Dictionary<Key, List<int>> children,
        bool[] used,
        Dictionary<Key, int> byHash,
        Key start,
        List<ChainProblem> problems)
    {
        var pending = new Stack<int>();
        pending.Push(orphan);
        while (pending.Count > 0)
        {
            int index = pending.Pop();
            if (used[index])
            {
                continue;
            }

            used[index] = true;
            Row row = rows[index];
            string parent = row.Previous == start
                ? "the checkpoint"
                : byHash.TryGetValue(row.Previous, out int p) ? $"entry {rows[p].Sequence}" : "an inserted entry";
            problems.Add(new ChainProblem(
                row.Sequence,
                ChainProblemKind.Inserted,
                $"Entry {row.Sequence} is not part of the chain: it links to {parent}, which the chain continues " +
                "with another entry, so it was inserted."));
            if (children.TryGetValue(row.Hash, out List<int>? descendants))
            {
                foreach (int descendant in descendants)
                {
                    pending.Push(descendant);
                }
            }
        }
    }

    private static void ExplainBreak(int orphan, List<Row> rows, ChainCheckpoint checkpoint, List<ChainProblem> problems)
    {
        long before = orphan == 0 ? checkpoint.Sequence : rows[orphan - 1].Sequence;
        long sequence = rows[orphan].Sequence;
        if (sequence > before + 1)
        {
            // The gap scan reports it, with the same sequence.
            return;
        }

        if (orphan == 0)
        {
            problems.Add(new ChainProblem(
                sequence,
                ChainProblemKind.CheckpointMismatch,
                $"Entry {sequence} does not link to the retention checkpoint (entry {checkpoint.Sequence}): the " +
                "checkpoint was changed, or entries before it were deleted outside retention."));
            return;
        }

        problems.Add(new ChainProblem(
            before,
            ChainProblemKind.Edited,
            $"Entry {sequence} does not link to entry {before}: entry {before} was rewritten and its hash " +
            "recomputed, or entries after it were deleted and the later ones renumbered."));
    }

    private static void ExplainOrder(List<int> chain, List<Row> rows, List<ChainProblem> problems)
    {
        for (int i = 1; i < chain.Count; i++)
        {
            Row previous = rows[chain[i - 1]];
            Row row = rows[chain[i]];
            if (row.Sequence < previous.Sequence)
            {
                problems.Add(new ChainProblem(
                    row.Sequence,
                    ChainProblemKind.Reordered,
                    $"Entry {row.Sequence} comes right after entry {previous.Sequence} in the chain: the stored order " +
                    "was changed."));
            }
        }
    }

    private static void ExplainGaps(List<Row> rows, ChainCheckpoint checkpoint, List<ChainProblem> problems)
    {
        long previous = checkpoint.Sequence;
        foreach (Row row in rows)
        {
            if (row.Sequence > previous + 1)
            {
                long from = previous + 1;
                long to = row.Sequence - 1;
                problems.Add(new ChainProblem(
                    from,
                    ChainProblemKind.Deleted,
                    from == to
                        ? $"Entry {from} is missing: it was deleted."
                        : $"Entries {from} to {to} are missing: they were deleted."));
            }

            previous = Math.Max(previous, row.Sequence);
        }
    }

    private readonly record struct Row(long Sequence, Key Previous, Key Hash, bool ContentMatches);

    [StructLayout(LayoutKind.Auto)]
    private readonly record struct Key(ulong A, ulong B, ulong C, ulong D)
    {
        public static Key Of(ReadOnlySpan<byte> hash)
        {
            ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(hash);
            return new Key(words[0], words[1], words[2], words[3]);
        }
    }
}

using System.Globalization;
using MetaModel.Compliance.Storage;

namespace MetaModel.Compliance.Chain;

/// <summary>Verifies the hash chain of a stream and says which entries were edited, deleted, inserted or reordered.</summary>
/// <remarks>
/// <para>
/// Verification starts at the stream's retention checkpoint and reads every entry once, in sequence order, checking
/// that each entry's hash matches its content, that it links to the entry before it, and that sequences are
/// contiguous. It then checks the head the store recorded (sequence, hash and time) against the last entry, the
/// checkpoint against the last retention entry, the store's checkpoint history against the retention entries
/// (<see cref="IComplianceLogReader.ReadCheckpointHistoryAsync"/>), and, when given, a head anchored elsewhere.
/// Memory stays constant on an intact chain but for one small record per retention run, of the retention entries
/// left in the chain and of the history.
/// </para>
/// <para>
/// Only when something is wrong is the stream read a second time to explain it (<see cref="ChainDiagnosis"/>);
/// that pass keeps the hashes of every entry in memory. Anyone able to write to the store can rewrite the chain
/// consistently from some point on; only an anchored head (<see cref="ChainHead"/>) kept elsewhere detects that.
/// </para>
/// <para>
/// A live log can be verified while its writers append and run retention. Entries after the head the store recorded
/// when verification began are the writer's if the store's head covers them once they are read (a writer moves the
/// head in the transaction that adds them); the recorded head is then checked against its own entry. When a report
/// has problems and a retention run moved the checkpoint meanwhile, the stream is verified again, up to three times.
/// </para>
/// </remarks>
public static class ChainVerifier
{
    /// <summary>How many times a stream is read when a retention run moves its checkpoint meanwhile.</summary>
    private const int MaxAttempts = 3;

    /// <summary>Verifies one stream.</summary>
    /// <param name="reader">The store.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="anchor">A head exported earlier and kept elsewhere, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>The report; <see cref="VerificationReport.IsValid"/> tells whether the stream is intact.</returns>
    public static async Task<VerificationReport> VerifyAsync(
        IComplianceLogReader reader,
        string stream,
        ChainHead? anchor = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(stream);

        // A retention run that commits while the stream is read moves its checkpoint between the reads of the stream's
        // record, its entries and its history, which then disagree although the log is intact. Only a report with
        // problems is checked for that, and a moved checkpoint means reading everything again; runs are rare, so
        // this settles at once, and a checkpoint still moving after the last attempt leaves its report as it is.
        for (int attempt = 1; ; attempt++)
        {
            StreamState? recorded = await reader.GetStreamStateAsync(stream, cancellationToken).ConfigureAwait(false);
            VerificationReport report =
                await VerifyOnceAsync(reader, stream, recorded, anchor, cancellationToken).ConfigureAwait(false);
            if (report.IsValid || attempt == MaxAttempts)
            {
                return report;
            }

            StreamState? after = await reader.GetStreamStateAsync(stream, cancellationToken).ConfigureAwait(false);
            if (after?.Checkpoint == recorded?.Checkpoint)
            {
                return report;
            }
        }
    }

    /// <summary>Verifies every stream of a store.</summary>
    /// <param name="reader">The store.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>One report per stream, in ordinal order of the stream names.</returns>
    public static async Task<IReadOnlyList<VerificationReport>> VerifyAllAsync(
        IComplianceLogReader reader,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var reports = new List<VerificationReport>();
        foreach (string stream in await reader.GetStreamsAsync(cancellationToken).ConfigureAwait(false))
        {
            reports.Add(await VerifyAsync(reader, stream, anchor: null, cancellationToken).ConfigureAwait(false));
        }

        return reports;
    }

    private static async Task<VerificationReport> VerifyOnceAsync(
        IComplianceLogReader reader,
        string stream,
        StreamState? recorded,
        ChainHead? anchor,
        CancellationToken cancellationToken)
    {
        var problems = new List<ChainProblem>();
        var notes = new List<string>();

        // Without the stream's record (its head and retention checkpoint) its remaining entries are checked from the
        // start of the chain, and the missing record is a problem of its own.
        StreamState state = recorded ?? new StreamState(
            new ChainHead(stream, 0, HashChain.GenesisHex, DateTimeOffset.MinValue),
            ChainCheckpoint.Genesis);

        ChainCheckpoint checkpoint = state.Checkpoint;
        byte[] checkpointHash;
        if (HashChain.IsHex(checkpoint.Hash))
        {
            checkpointHash = HashChain.FromHex(checkpoint.Hash);
        }
        else
        {
            checkpointHash = HashChain.GenesisHash();
            problems.Add(new ChainProblem(
                checkpoint.Sequence,
                ChainProblemKind.CheckpointMismatch,
                $"The store's checkpoint (entry {checkpoint.Sequence}) holds a value the store did not write (a hash " +
                "that is not 64 hex digits, or a value of another type or out of range): the stream's record was edited."));
        }

        // The fast pass: constant memory, one hash per entry.
        long expected = checkpoint.Sequence + 1;
        byte[] previous = checkpointHash;
        bool broken = false;
        long count = 0;
        long first = 0;
        LogEntry? last = null;
        LogEntry? lastRetention = null;
        var retentionClaims = new List<CheckpointHistoryCheck.RetentionClaim>();
        bool unreadableRetention = false;
        byte[]? anchoredHash = null;
        LogEntry? atRecordedHead = null;
        await foreach (LogEntry entry in reader.ReadAsync(stream, 0, cancellationToken).ConfigureAwait(false))
        {
            count++;
            if (first == 0)
            {
                first = entry.Sequence;
            }

            if (!broken &&
                (entry.Sequence != expected ||
                 !entry.PreviousHash.AsSpan().SequenceEqual(previous) ||
                 !HashChain.HasValidHash(entry)))
            {
                broken = true;
            }

            if (entry.Kind == LogEntryKind.Retention)
            {
                // An entry that does not match its hash is reported as edited, and what it says about its run is then
                // no evidence against the checkpoint history: it counts as an entry that cannot be read.
                lastRetention = entry;
                if (HashChain.HasValidHash(entry) &&
                    RetentionEntry.TryReadCheckpoint(entry, out ChainCheckpoint claimed, out long deletedCount))
                {
                    retentionClaims.Add(new(entry.Sequence, entry.Timestamp, claimed, deletedCount));
                }
                else
                {
                    unreadableRetention = true;
                }
            }

            if (anchor is not null && entry.Sequence == anchor.Sequence)
            {
                anchoredHash = entry.Hash;
            }

            if (entry.Sequence == state.Head.Sequence)
            {
                atRecordedHead = entry;
            }

            previous = entry.Hash;
            expected = entry.Sequence + 1;
            last = entry;
        }

        if (broken)
        {
            problems.AddRange(await ChainDiagnosis.ExplainAsync(reader, stream, checkpoint, checkpointHash, cancellationToken)
                .ConfigureAwait(false));
        }

        long lastSequence = last?.Sequence ?? checkpoint.Sequence;
        string lastHash = last is null ? HashChain.ToHex(checkpointHash) : HashChain.ToHex(last.Hash);
        var head = new ChainHead(stream, lastSequence, lastHash, last?.Timestamp ?? checkpoint.Timestamp);

        if (recorded is null)
        {
            problems.Add(count == 0
                ? new ChainProblem(0, ChainProblemKind.Unreadable, $"The stream '{stream}' does not exist.")
                : new ChainProblem(
                    0,
                    ChainProblemKind.HeadMismatch,
                    $"The store has no record of stream '{stream}' (its head and retention checkpoint), although {count} " +
                    "of its entries remain: the record was deleted, so nothing the store keeps says where the chain ends."));
        }
        else
        {
            // Entries after the recorded head are the writer's when the store's head covers them once they are read:
            // a writer moves the head in the transaction that adds them. They were appended while the stream was
            // read, and the recorded head is checked against its own entry.
            LogEntry? headEntry = last;
            if (last is not null && atRecordedHead is not null && last.Sequence > state.Head.Sequence &&
                await reader.GetStreamStateAsync(stream, cancellationToken).ConfigureAwait(false) is { } now &&
                now.Head.Sequence >= last.Sequence)
            {
                headEntry = atRecordedHead;
            }

            // The head entry's time is only compared when its content is intact: otherwise that entry is reported.
            ChainHead compared = headEntry == last ? head : new ChainHead(
                stream,
                headEntry!.Sequence,
                HashChain.ToHex(headEntry.Hash),
                headEntry.Timestamp);
            CheckHead(state.Head, compared, headEntry is null || HashChain.HasValidHash(headEntry), problems);
        }

        CheckCheckpoint(checkpoint, lastRetention, problems);
        problems.AddRange(await CheckpointHistoryCheck
            .CheckAsync(reader, stream, retentionClaims, unreadableRetention, cancellationToken)
            .ConfigureAwait(false));
        if (anchor is not null)
        {
            CheckAnchor(anchor, checkpoint, head, anchoredHash, problems, notes);
        }

        problems.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return new VerificationReport(stream, count, first, lastSequence, checkpoint, head, problems, notes);
    }

    private static void CheckHead(ChainHead recorded, ChainHead computed, bool compareTime, List<ChainProblem> problems)
    {
        if (recorded.Sequence > computed.Sequence)
        {
            problems.Add(new ChainProblem(
                computed.Sequence + 1,
                ChainProblemKind.Truncated,
                $"Entries {computed.Sequence + 1} to {recorded.Sequence} are missing: the store's head is at " +
                $"{recorded.Sequence} but the last entry is {computed.Sequence}."));
        }
        else if (recorded.Sequence < computed.Sequence)
        {
            problems.Add(new ChainProblem(
                recorded.Sequence + 1,
                ChainProblemKind.Inserted,
                $"Entries {recorded.Sequence + 1} to {computed.Sequence} come after the store's head " +
                $"({recorded.Sequence}): they were not appended by the log's writer."));
        }
        else if (!HashChain.IsHex(recorded.Hash))
        {
            problems.Add(new ChainProblem(
                computed.Sequence,
                ChainProblemKind.HeadMismatch,
                $"The store's head (entry {computed.Sequence}) holds a value the store did not write (a value of " +
                "another type or out of range): the stream's record was edited."));
        }
        else
        {
            bool hashDiffers = !string.Equals(recorded.Hash, computed.Hash, StringComparison.OrdinalIgnoreCase);
            bool timeDiffers = compareTime && recorded.Timestamp != computed.Timestamp;
            string? message = (hashDiffers, timeDiffers) switch
            {
                (true, true) => $"The store's head hash and time for entry {computed.Sequence} differ from the entry's.",
                (true, false) => $"The store's head hash for entry {computed.Sequence} differs from the entry's hash.",
                (false, true) =>
                    $"The store's head time for entry {computed.Sequence} ({Format(recorded.Timestamp)}) differs from " +
                    $"the entry's time ({Format(computed.Timestamp)}): the stream's record was edited.",
                _ => null,
            };
            if (message is not null)
            {
                problems.Add(new ChainProblem(computed.Sequence, ChainProblemKind.HeadMismatch, message));
            }
        }
    }

    private static void CheckCheckpoint(ChainCheckpoint checkpoint, LogEntry? lastRetention, List<ChainProblem> problems)
    {
        if (lastRetention is null)
        {
            if (checkpoint.Sequence > 0)
            {
                problems.Add(new ChainProblem(
                    checkpoint.Sequence,
                    ChainProblemKind.CheckpointMismatch,
                    $"The store's checkpoint says entries up to {checkpoint.Sequence} were deleted, but no retention " +
                    "entry records a deletion: entries were removed outside retention."));
            }
            else if (HashChain.IsHex(checkpoint.Hash) && checkpoint.Timestamp != ChainCheckpoint.Genesis.Timestamp)
            {
                problems.Add(new ChainProblem(
                    checkpoint.Sequence,
                    ChainProblemKind.CheckpointMismatch,
                    $"The store's checkpoint has a time ({Format(checkpoint.Timestamp)}), but nothing was deleted, so " +
                    "it has none: the stream's record was edited."));
            }

            return;
        }

        if (!RetentionEntry.TryReadCheckpoint(lastRetention, out ChainCheckpoint claimed))
        {
            problems.Add(new ChainProblem(
                lastRetention.Sequence,
                ChainProblemKind.Edited,
                $"Retention entry {lastRetention.Sequence} cannot be read."));
            return;
        }

        // A checkpoint of the same sequence that cannot be read as the store wrote it is reported already.
        if (claimed.Sequence == checkpoint.Sequence && !HashChain.IsHex(checkpoint.Hash))
        {
            return;
        }

        if (claimed.Sequence != checkpoint.Sequence ||
            !string.Equals(claimed.Hash, checkpoint.Hash, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new ChainProblem(
                checkpoint.Sequence,
                ChainProblemKind.CheckpointMismatch,
                $"The store's checkpoint (entry {checkpoint.Sequence}) differs from the one the last retention " +
                $"entry ({lastRetention.Sequence}) recorded (entry {claimed.Sequence})."));
        }
        else if (claimed.Timestamp != checkpoint.Timestamp)
        {
            problems.Add(new ChainProblem(
                checkpoint.Sequence,
                ChainProblemKind.CheckpointMismatch,
                $"The store's checkpoint (entry {checkpoint.Sequence}) has another time ({Format(checkpoint.Timestamp)}) " +
                $"than the last retention entry ({lastRetention.Sequence}) recorded ({Format(claimed.Timestamp)}): the " +
                "stream's record was edited."));
        }
    }

    private static void CheckAnchor(
        ChainHead anchor,
        ChainCheckpoint checkpoint,
        ChainHead head,
        byte[]? anchoredHash,
        List<ChainProblem> problems,
        List<string> notes)
    {
        if (!string.Equals(anchor.Stream, head.Stream, StringComparison.Ordinal))
        {
            notes.Add($"The anchor is for stream '{anchor.Stream}', not '{head.Stream}'; it was not checked.");
            return;
        }

        if (anchor.Sequence > head.Sequence)
        {
            problems.Add(new ChainProblem(
                head.Sequence + 1,
                ChainProblemKind.Truncated,
                $"The anchored head is entry {anchor.Sequence}, but the stream ends at entry {head.Sequence}: " +
                "entries were removed from its end."));
            return;
        }

        if (anchor.Sequence < checkpoint.Sequence)
        {
            notes.Add(
                $"The anchored head (entry {anchor.Sequence}) is older than the retention checkpoint " +
                $"(entry {checkpoint.Sequence}); it can no longer be checked.");
            return;
        }

        string actual = anchor.Sequence == checkpoint.Sequence
            ? checkpoint.Hash
            : anchoredHash is null ? string.Empty : HashChain.ToHex(anchoredHash);
        if (!string.Equals(actual, anchor.Hash, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new ChainProblem(
                anchor.Sequence,
                ChainProblemKind.AnchorMismatch,
                $"Entry {anchor.Sequence} does not have the anchored hash: the chain was rewritten up to or " +
                "after this entry."));
        }
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}

using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Storage;

namespace MetaModel.Cli;

/// <summary><c>metamodel verify</c>: checks every stream's chain (or one), optionally against an anchored head.</summary>
internal static class VerifyCommand
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output, CancellationToken cancellationToken)
    {
        args.RejectUnknown([.. StoreOpener.Options, "stream", "anchor", "export-head"]);
        ChainHead? anchor = null;
        if (args.Get("anchor") is { } anchorPath)
        {
            if (!File.Exists(anchorPath))
            {
                throw new FileNotFoundException($"The anchor file {Path.GetFullPath(anchorPath)} does not exist.", anchorPath);
            }

            try
            {
                anchor = ChainHead.Parse(await File.ReadAllTextAsync(anchorPath, cancellationToken).ConfigureAwait(false));
            }
            catch (FormatException ex)
            {
                throw new CliUsageException($"The anchor file {anchorPath} is not a chain head: {ex.Message}");
            }
        }

        await using IComplianceLogStore store = StoreOpener.Open(args);
        IReadOnlyList<string> existing = await store.GetStreamsAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> streams = args.Get("stream") is { } one ? [one]
            : anchor is not null && !existing.Contains(anchor.Stream) ? [.. existing, anchor.Stream]
            : existing;

        // A stream that is not there is most likely a misspelt name; only an anchor proves that it existed, and then
        // its absence is a broken chain, which the verifier reports.
        if (streams.Count == 1 && !existing.Contains(streams[0]) && anchor?.Stream != streams[0])
        {
            await output.WriteLineAsync(NoSuchStream(streams[0], existing)).ConfigureAwait(false);
            return ExitCodes.NothingFound;
        }

        if (streams.Count == 0)
        {
            await output.WriteLineAsync("The log has no streams yet: nothing to verify.").ConfigureAwait(false);
            return ExitCodes.Success;
        }

        bool intact = true;
        var heads = new List<ChainHead>();
        foreach (string stream in streams)
        {
            ChainHead? streamAnchor = anchor is not null && anchor.Stream == stream ? anchor : null;
            VerificationReport report =
                await ChainVerifier.VerifyAsync(store, stream, streamAnchor, cancellationToken).ConfigureAwait(false);
            heads.Add(report.Head);
            intact &= report.IsValid;
            await output.WriteLineAsync(
                $"stream {stream}: {report.EntryCount} entries (sequence {report.FirstSequence} to {report.LastSequence}), " +
                $"checkpoint {report.Checkpoint.Sequence}: {(report.IsValid ? "intact" : "BROKEN")}").ConfigureAwait(false);
            foreach (ChainProblem problem in report.Problems)
            {
                await output.WriteLineAsync("  " + problem).ConfigureAwait(false);
            }

            foreach (string note in report.Notes)
            {
                await output.WriteLineAsync("  note: " + note).ConfigureAwait(false);
            }

            if (report.IsValid)
            {
                await output.WriteLineAsync(
                    $"  head: sequence {report.Head.Sequence}, hash {report.Head.Hash}").ConfigureAwait(false);
            }
        }

        if (anchor is not null && !streams.Contains(anchor.Stream))
        {
            await output.WriteLineAsync(
                $"The anchor names stream '{anchor.Stream}', which was not verified.").ConfigureAwait(false);
            intact = false;
        }

        if (intact && args.Get("export-head") is { } headPath)
        {
            ChainHead head = heads.Count == 1 ? heads[0] : heads.Find(h => h.Stream == (anchor?.Stream ?? h.Stream))!;
            try
            {
                await File.WriteAllTextAsync(headPath, head.ToJson(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"--export-head cannot write {Path.GetFullPath(headPath)}: {ex.Message}");
            }

            await output.WriteLineAsync($"Head of stream {head.Stream} written to {headPath}: anchor it outside this system.")
                .ConfigureAwait(false);
        }

        return intact ? ExitCodes.Success : ExitCodes.ChainBroken;
    }

    /// <summary>The message for a stream name the log does not hold, naming the streams it does.</summary>
    public static string NoSuchStream(string stream, IReadOnlyList<string> existing) =>
        $"The log has no stream '{stream}'. Its streams: " +
        (existing.Count == 0 ? "none yet." : string.Join(", ", existing) + ".");
}

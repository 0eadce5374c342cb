namespace MetaModel.Compliance.Chain;

/// <summary>The result of verifying one stream.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="EntryCount">How many entries were read.</param>
/// <param name="FirstSequence">The first entry's sequence, or 0 when there is none.</param>
/// <param name="LastSequence">The last entry's sequence, or the checkpoint's when there is none.</param>
/// <param name="Checkpoint">The retention checkpoint verification started from.</param>
/// <param name="Head">The head computed from the entries read: what to anchor.</param>
/// <param name="Problems">Everything found wrong, in sequence order; empty when the stream is intact.</param>
/// <param name="Notes">Remarks that are not problems, such as an anchor older than the checkpoint.</param>
public sealed record VerificationReport(
    string Stream,
    long EntryCount,
    long FirstSequence,
    long LastSequence,
    ChainCheckpoint Checkpoint,
    ChainHead Head,
    IReadOnlyList<ChainProblem> Problems,
    IReadOnlyList<string> Notes)
{
    /// <summary>Gets a value indicating whether the stream is intact.</summary>
    public bool IsValid => Problems.Count == 0;
}

namespace MetaModel.Compliance.Chain;

/// <summary>One row of a stream's checkpoint history: what a retention run deleted and the checkpoint it left.</summary>
/// <param name="Checkpoint">The checkpoint the run left: the last entry it deleted.</param>
/// <param name="DeletedCount">How many entries the run deleted.</param>
/// <param name="AppliedAt">When the run happened: the time of the retention entry it appended.</param>
/// <remarks>
/// Each run also appends a <see cref="LogEntryKind.Retention"/> entry naming the same checkpoint, count and time, so
/// the verifier can check the history against the chain. A store reads a row holding a value it did not write (a
/// value of another type, or beyond what the field holds) with an empty checkpoint hash, so that it is reported as
/// edited.
/// </remarks>
public sealed record RetentionRun(ChainCheckpoint Checkpoint, long DeletedCount, DateTimeOffset AppliedAt);

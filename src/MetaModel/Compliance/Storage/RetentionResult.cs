using MetaModel.Compliance.Chain;

namespace MetaModel.Compliance.Storage;

/// <summary>What one retention run deleted.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="DeletedCount">How many entries were deleted; 0 when none was old enough.</param>
/// <param name="Checkpoint">The stream's checkpoint after the run.</param>
public sealed record RetentionResult(string Stream, long DeletedCount, ChainCheckpoint Checkpoint);

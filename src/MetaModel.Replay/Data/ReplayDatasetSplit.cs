namespace MetaModel.Replay;

/// <summary>The two parts of a <see cref="ReplayDataset.StratifiedSplit(double, int)"/>.</summary>
/// <param name="Train">The prompts to learn from.</param>
/// <param name="HeldOut">The prompts held back for evaluation.</param>
public sealed record ReplayDatasetSplit(ReplayDataset Train, ReplayDataset HeldOut);

namespace MetaModel.Compliance.Chain;

/// <summary>What a store says about one stream: its head and its retention checkpoint.</summary>
/// <param name="Head">The last entry as the store's writer recorded it.</param>
/// <param name="Checkpoint">The retention checkpoint verification starts from.</param>
public sealed record StreamState(ChainHead Head, ChainCheckpoint Checkpoint);

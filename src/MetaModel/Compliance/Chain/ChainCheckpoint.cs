namespace MetaModel.Compliance.Chain;

/// <summary>
/// Where verification of a stream starts: the sequence and hash of the last entry deleted by retention, or 0 and
/// 32 zero bytes when nothing was ever deleted.
/// </summary>
/// <param name="Sequence">The last deleted entry's sequence; 0 when nothing was deleted.</param>
/// <param name="Hash">The last deleted entry's hash as 64 lowercase hex digits.</param>
/// <param name="Timestamp">The last deleted entry's time; <see cref="DateTimeOffset.MinValue"/> when none.</param>
public sealed record ChainCheckpoint(long Sequence, string Hash, DateTimeOffset Timestamp)
{
    /// <summary>Gets the checkpoint of a stream from which nothing was deleted.</summary>
    public static ChainCheckpoint Genesis { get; } = new(0, HashChain.GenesisHex, DateTimeOffset.MinValue);
}

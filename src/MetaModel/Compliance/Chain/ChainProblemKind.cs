namespace MetaModel.Compliance.Chain;

/// <summary>What is wrong with an entry or a stream.</summary>
public enum ChainProblemKind
{
    /// <summary>An entry's content no longer matches its hash, or it was rewritten and re-hashed.</summary>
    Edited,

    /// <summary>Entries are missing between two remaining entries.</summary>
    Deleted,

    /// <summary>An entry that was not written by the chain's writer sits in the stream.</summary>
    Inserted,

    /// <summary>Entries are stored in a different order from the one their links give.</summary>
    Reordered,

    /// <summary>Entries at the end of the stream are missing.</summary>
    Truncated,

    /// <summary>
    /// A retention checkpoint does not match the chain: the stream's (the first entry does not link to it, or it
    /// differs from the last retention entry), or a row of the checkpoint history (missing, edited or forged).
    /// </summary>
    CheckpointMismatch,

    /// <summary>The head the store recorded (sequence, hash or time) does not match the last entry.</summary>
    HeadMismatch,

    /// <summary>The entry at an anchored head's sequence does not have the anchored hash.</summary>
    AnchorMismatch,

    /// <summary>The stream does not exist or an entry cannot be read.</summary>
    Unreadable,
}

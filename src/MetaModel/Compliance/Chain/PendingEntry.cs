namespace MetaModel.Compliance.Chain;

/// <summary>An encoded entry that has not been placed in the chain yet: a store gives it a sequence and hashes.</summary>
/// <param name="Timestamp">The record's time; stored and hashed at millisecond precision.</param>
/// <param name="Kind">What the payload holds.</param>
/// <param name="Payload">The canonical UTF-8 JSON payload (see <see cref="CanonicalJsonWriter"/>).</param>
public readonly record struct PendingEntry(DateTimeOffset Timestamp, LogEntryKind Kind, byte[] Payload);

using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MetaModel.Compliance.Chain;

/// <summary>The hash chain of the decision log: how an entry's hash is computed and how entries are sealed.</summary>
/// <remarks>
/// <para>
/// An entry's hash is SHA-256 over, in this order: the four ASCII bytes <c>MMC1</c> (format and version), the
/// previous hash (32 bytes), the stream name's UTF-8 length (unsigned 32-bit big-endian) and bytes, the timestamp
/// in Unix milliseconds (signed 64-bit big-endian), the kind (one byte), and the payload's length (unsigned 32-bit
/// big-endian) and bytes. The payload is canonical JSON (<see cref="CanonicalJsonWriter"/>).
/// </para>
/// <para>
/// The sequence number is not hashed: an entry's position is fixed by the link to its predecessor, and the verifier
/// checks that sequences are contiguous. Keeping it out lets the verifier tell an entry that was moved or inserted
/// (its own hash still matches) from one whose content was changed (its hash does not). All members are thread-safe.
/// </para>
/// </remarks>
public static class HashChain
{
    /// <summary>The length of a hash in bytes.</summary>
    public const int HashSize = 32;

    /// <summary>The hash that the first entry of a stream links to: 64 zeros.</summary>
    public static readonly string GenesisHex = new('0', HashSize * 2);

    private static readonly SearchValues<char> s_hexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private static ReadOnlySpan<byte> Magic => "MMC1"u8;

    /// <summary>Computes an entry's hash.</summary>
    /// <param name="stream">The stream name.</param>
    /// <param name="unixMilliseconds">The timestamp in Unix milliseconds.</param>
    /// <param name="kind">The kind.</param>
    /// <param name="payload">The canonical payload.</param>
    /// <param name="previousHash">The previous entry's hash (32 bytes).</param>
    /// <param name="destination">Receives the 32-byte hash.</param>
    /// <exception cref="ArgumentException">A hash span is not 32 bytes long.</exception>
    public static void ComputeHash(
        string stream,
        long unixMilliseconds,
        LogEntryKind kind,
        ReadOnlySpan<byte> payload,
        ReadOnlySpan<byte> previousHash,
        Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (previousHash.Length != HashSize || destination.Length < HashSize)
        {
            throw new ArgumentException("Hashes are 32 bytes long.", nameof(previousHash));
        }

        int streamLength = Encoding.UTF8.GetByteCount(stream);
        int length = Magic.Length + HashSize + 4 + streamLength + 8 + 1 + 4 + payload.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> input = rented.AsSpan(0, length);
            int at = 0;
            Magic.CopyTo(input);
            at += Magic.Length;
            previousHash.CopyTo(input[at..]);
            at += HashSize;
            BinaryPrimitives.WriteUInt32BigEndian(input[at..], (uint)streamLength);
            at += 4;
            at += Encoding.UTF8.GetBytes(stream, input[at..]);
            BinaryPrimitives.WriteInt64BigEndian(input[at..], unixMilliseconds);
            at += 8;
            input[at++] = (byte)kind;
            BinaryPrimitives.WriteUInt32BigEndian(input[at..], (uint)payload.Length);
            at += 4;
            payload.CopyTo(input[at..]);
            SHA256.HashData(input, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Recomputes the hash of <paramref name="entry"/> from its fields and its stored previous hash.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>Whether the recomputed hash equals the stored one.</returns>
    public static bool HasValidHash(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.PreviousHash.Length != HashSize || entry.Hash.Length != HashSize)
        {
            return false;
        }

        Span<byte> computed = stackalloc byte[HashSize];
        ComputeHash(
            entry.Stream,
            entry.Timestamp.ToUnixTimeMilliseconds(),
            entry.Kind,
            entry.Payload,
            entry.PreviousHash,
            computed);
        return computed.SequenceEqual(entry.Hash);
    }

    /// <summary>Places pending entries after the given head: gives each its sequence and hashes.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="previousSequence">The sequence of the stream's last entry (0 for none).</param>
    /// <param name="previousHash">The hash of the stream's last entry (or the checkpoint's, or zeros).</param>
    /// <param name="entries">The entries, in order.</param>
    /// <returns>The sealed entries.</returns>
    /// <remarks>A store calls this while it holds the stream's write lock, with the head it read under that lock.</remarks>
    public static LogEntry[] Seal(
        string stream,
        long previousSequence,
        byte[] previousHash,
        IReadOnlyList<PendingEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(entries);

        var sealedEntries = new LogEntry[entries.Count];
        byte[] previous = previousHash;
        for (int i = 0; i < entries.Count; i++)
        {
            PendingEntry pending = entries[i];
            DateTimeOffset timestamp = TruncateToMilliseconds(pending.Timestamp);
            byte[] hash = new byte[HashSize];
            ComputeHash(stream, timestamp.ToUnixTimeMilliseconds(), pending.Kind, pending.Payload, previous, hash);
            sealedEntries[i] = new LogEntry(
                stream,
                previousSequence + i + 1,
                timestamp,
                pending.Kind,
                pending.Payload,
                previous,
                hash);
            previous = hash;
        }

        return sealedEntries;
    }

    /// <summary>Gets the 32 zero bytes the first entry of a stream links to.</summary>
    /// <returns>A new array.</returns>
    public static byte[] GenesisHash() => new byte[HashSize];

    /// <summary>Writes a hash as lowercase hex.</summary>
    /// <param name="hash">The hash.</param>
    /// <returns>The hex text.</returns>
    public static string ToHex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    /// <summary>Reads a hash written as hex.</summary>
    /// <param name="hex">64 hex digits.</param>
    /// <returns>The 32 bytes.</returns>
    /// <exception cref="FormatException"><paramref name="hex"/> is not 64 hex digits.</exception>
    public static byte[] FromHex(string hex) =>
        IsHex(hex) ? Convert.FromHexString(hex) : throw new FormatException("A hash is 64 hex digits.");

    /// <summary>Tells whether <paramref name="text"/> is a hash written as 64 hex digits.</summary>
    /// <param name="text">The text.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsHex(string? text) =>
        text is { Length: HashSize * 2 } && !text.AsSpan().ContainsAnyExcept(s_hexDigits);

    /// <summary>Drops the sub-millisecond part of a time, which the log does not keep.</summary>
    /// <param name="timestamp">The time.</param>
    /// <returns>The time at millisecond precision, in UTC.</returns>
    public static DateTimeOffset TruncateToMilliseconds(DateTimeOffset timestamp) =>
        DateTimeOffset.FromUnixTimeMilliseconds(timestamp.ToUnixTimeMilliseconds());
}

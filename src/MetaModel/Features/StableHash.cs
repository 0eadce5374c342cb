using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MetaModel.Features;

/// <summary>Hashes that are identical in every process, on every platform and runtime version.</summary>
/// <remarks>
/// <para>
/// Feature hashing must map a token to the same slot in the process that trained a model and in every process
/// that later loads it, so <see cref="string.GetHashCode()"/> (randomized per process) cannot be used.
/// </para>
/// <para>
/// A word is hashed from its case-folded characters, encoded as one byte per character when all of them are
/// ASCII and as UTF-16 code units (two bytes each, little-endian) otherwise. The hash starts from the byte
/// count, with the top bit set for the UTF-16 encoding, and absorbs the bytes eight at a time as little-endian
/// 64-bit pieces, the last one padded with zero bytes: one multiply and one xor-shift per piece. An ASCII word
/// of up to eight characters is therefore one masked 64-bit load and one multiply.
/// </para>
/// </remarks>
internal static class StableHash
{
    /// <summary>The multiplier of every mix: 2⁶⁴ divided by the golden ratio, rounded to odd.</summary>
    public const ulong Multiplier = 0x9E3779B97F4A7C15UL;

    /// <summary>The top bit, set in the seed of a word and in the value of a trigram that are not all ASCII.</summary>
    public const ulong Utf16Flag = 1UL << 63;

    /// <summary>Absorbs one 64-bit piece of a token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Absorb(ulong hash, ulong piece)
    {
        ulong z = (hash ^ piece) * Multiplier;
        return z ^ (z >> 29);
    }

    /// <summary>Mixes a value with the salt of a token family: one multiply, whose high bits choose slot and sign.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong value, ulong salt) => (value ^ salt) * Multiplier;

    /// <summary>Returns the hash of a word given as its characters, folded here exactly as the scanner folds them.</summary>
    /// <param name="word">The word; empty gives the hash of the empty ASCII word.</param>
    public static ulong OfWord(ReadOnlySpan<char> word)
    {
        bool ascii = true;
        foreach (char c in word)
        {
            ascii &= CharacterTable.Fold(c) < 128;
        }

        return Of(word, ascii);
    }

    /// <summary>
    /// Hashes the folded word in the first <paramref name="length"/> characters of <paramref name="buffer"/>, as
    /// <see cref="OfWord"/> hashes the word before folding, reading whole pieces: a piece of UTF-16 code units is
    /// one 64-bit read, and a piece of ASCII characters one 128-bit read narrowed to bytes.
    /// </summary>
    /// <param name="buffer">The folded characters; at least <paramref name="length"/> rounded up to a multiple of 8.</param>
    /// <param name="length">The length of the word.</param>
    /// <param name="ascii">Whether every character of the word is ASCII.</param>
    public static ulong OfFoldedBuffer(
        Span<char> buffer,
        int length,
        bool ascii)
    {
        int pieceLength = ascii ? 8 : 4;
        int bitsPerCharacter = ascii ? 8 : 16;
        if (buffer.Length < ((length + 7) & ~7))
        {
            throw new ArgumentException("The buffer must hold whole pieces past the word.", nameof(buffer));
        }

        ref ushort units = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(buffer));
        ulong hash = ascii ? (ulong)length : ((ulong)length * 2) | Utf16Flag;
        for (int offset = 0; offset < length; offset += pieceLength)
        {
            ulong piece = ascii
                ? Vector128.Narrow(Vector128.LoadUnsafe(ref units, (nuint)offset), Vector128<ushort>.Zero).AsUInt64().ToScalar()
                : Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref units, offset)));

            // Keep only the characters of the word in its last piece.
            int past = offset + pieceLength - length;
            piece &= past > 0 ? ulong.MaxValue >> (past * bitsPerCharacter) : ulong.MaxValue;
            hash = Absorb(hash, piece);
        }

        return hash;
    }

    private static ulong Of(ReadOnlySpan<char> word, bool ascii)
    {
        ulong hash = ascii ? (ulong)word.Length : ((ulong)word.Length * 2) | Utf16Flag;
        // A piece holds 8 or 4 characters, a power of two, so the position in the piece is a mask, not a division.
        int lastInPiece = ascii ? 7 : 3;
        int bitsPerCharacter = ascii ? 8 : 16;
        ulong piece = 0;
        for (int i = 0; i < word.Length; i++)
        {
            char c = CharacterTable.Fold(word[i]);
            int position = i & lastInPiece;
            piece |= (ulong)c << (bitsPerCharacter * position);
            if (position == lastInPiece || i == word.Length - 1)
            {
                hash = Absorb(hash, piece);
                piece = 0;
            }
        }

        return hash;
    }
}

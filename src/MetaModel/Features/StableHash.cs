using System.Runtime.CompilerServices;

namespace MetaModel.Features;

/// <summary>Hashes that are identical in every process, on every platform and runtime version.</summary>
/// <remarks>
/// <para>
/// Feature hashing must map a token to the same slot in the process that trained a model and in every process
/// that later loads it, so <see cref="string.GetHashCode()"/> (randomized per process) cannot be used.
/// </para>
/// <para>
/// A token is hashed as it streams by: its UTF-16 code units are packed four at a time into a 64-bit chunk
/// (first character in the high bits), each full chunk is absorbed with one multiply and an xor-shift, and the
/// final partial chunk and the length are absorbed when the token ends. Absorbing once per four characters
/// keeps the multiply off the per-character critical path, which is what makes featurizing fast.
/// </para>
/// </remarks>
internal static class StableHash
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15UL;

    /// <summary>Absorbs one full chunk of four packed characters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Absorb(ulong hash, ulong chunk)
    {
        ulong z = (hash ^ chunk) * Multiplier;
        return z ^ (z >> 29);
    }

    /// <summary>Salts an already absorbed value with a family and mixes it for slot and sign selection.</summary>
    /// <remarks>
    /// One multiply spreads every input bit into the high bits, which choose the slot; the xor-shift folds high
    /// bits into bit 0, which chooses the sign.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong value, ulong family)
    {
        ulong z = (value ^ (family << 56)) * Multiplier;
        return z ^ (z >> 31);
    }

    /// <summary>Returns the unsalted token hash of a whole string, exactly as the scanner computes it.</summary>
    public static ulong Of(ReadOnlySpan<char> token)
    {
        ulong hash = 0, chunk = 0;
        for (int i = 0; i < token.Length; i++)
        {
            chunk = (chunk << 16) | token[i];
            if ((i & 3) == 3)
            {
                hash = Absorb(hash, chunk);
                chunk = 0;
            }
        }

        return Absorb(hash, chunk) ^ (ulong)token.Length;
    }
}

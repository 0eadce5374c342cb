using System.Runtime.CompilerServices;

namespace MetaModel.Features;

/// <summary>Hashes that are identical in every process, on every platform and runtime version.</summary>
/// <remarks>
/// Feature hashing must map a token to the same slot in the process that trained a model and in every process
/// that later loads it, so <see cref="string.GetHashCode()"/> (randomized per process) cannot be used.
/// Tokens are hashed as they stream by, one character at a time, and finished with a strong 64-bit mix.
/// </remarks>
internal static class StableHash
{
    /// <summary>The FNV-1a 64-bit offset basis, the starting value of a token hash.</summary>
    public const ulong Seed = 0xCBF29CE484222325UL;

    /// <summary>Adds one character to a running token hash (FNV-1a over 16-bit code units).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong hash, char c) => (hash ^ c) * 0x100000001B3UL;

    /// <summary>Finishes a token hash, salted with a family so equal tokens of different families differ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Finish(ulong hash, ulong family)
    {
        ulong z = hash ^ (family * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Hashes a whole string the way the featurizer hashes a token, for building keyword tables.</summary>
    public static ulong Of(string token)
    {
        ulong hash = Seed;
        foreach (char c in token)
        {
            hash = Add(hash, c);
        }

        return hash;
    }
}

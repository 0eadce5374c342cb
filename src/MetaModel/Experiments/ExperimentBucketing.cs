namespace MetaModel.Experiments;

/// <summary>Maps an experiment id and a unit key to a number in [0, 1), the same on every machine and run.</summary>
/// <remarks>
/// <para>
/// bucket = (mix(fnv1a64(id · U+0000 · key)) ≫ 11) / 2⁵³, where fnv1a64 runs over the UTF-16 code units (low
/// byte, then high byte) and mix is the SplitMix64 finalizer. FNV-1a alone spreads short, similar keys badly in its
/// high bits; the finalizer makes every input bit affect every output bit, so buckets are uniform enough for
/// traffic splits. The separator keeps ("ab", "c") and ("a", "bc") apart.
/// </para>
/// <para>
/// The function is part of the contract: changing it would move users between arms of running experiments.
/// It is not a cryptographic hash: keys should not be chosen by parties who profit from an arm.
/// </para>
/// </remarks>
public static class ExperimentBucketing
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>Computes the bucket of <paramref name="unitKey"/> in experiment <paramref name="experimentId"/>.</summary>
    /// <param name="experimentId">The experiment id.</param>
    /// <param name="unitKey">The user or session key.</param>
    /// <returns>A number in [0, 1).</returns>
    public static double Bucket(string experimentId, string unitKey)
    {
        ArgumentNullException.ThrowIfNull(experimentId);
        ArgumentNullException.ThrowIfNull(unitKey);

        ulong hash = FnvOffset;
        hash = Add(hash, experimentId);
        hash = Add(hash, "\0");
        hash = Add(hash, unitKey);
        return (Mix(hash) >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong Add(ulong hash, string text)
    {
        foreach (char c in text)
        {
            hash = (hash ^ (byte)c) * FnvPrime;
            hash = (hash ^ (byte)(c >> 8)) * FnvPrime;
        }

        return hash;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

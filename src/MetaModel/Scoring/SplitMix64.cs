namespace MetaModel.Scoring;

/// <summary>A small, fast, seedable generator whose output is identical on every platform and runtime.</summary>
/// <remarks>
/// Random projections and Thompson draws must be reproducible from a seed across processes and .NET versions
/// (a snapshot records the projection seed), so they use this fixed algorithm rather than <see cref="Random"/>.
/// </remarks>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>Returns the next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Returns a standard normal draw (Box–Muller, using two 53-bit uniforms).</summary>
    public double NextStandardNormal() => StandardNormal(NextUInt64(), NextUInt64());

    /// <summary>The SplitMix64 finalizer: a bijective mix of 64 bits.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Maps two independent 64-bit words to one standard normal draw.</summary>
    public static double StandardNormal(ulong first, ulong second)
    {
        // The first uniform lies in (0, 1], so its logarithm is finite.
        double u1 = ((first >> 11) + 1) * (1.0 / (1UL << 53));
        double u2 = (second >> 11) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

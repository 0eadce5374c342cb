namespace MetaModel.Scoring;

/// <summary>Per-thread scratch arrays for decisions and updates.</summary>
/// <remarks>
/// Renting scratch from the shared array pool allocated again whenever the pool trimmed its arrays after a full
/// garbage collection, which the benchmarks showed as a stray byte per operation at d = 384; a thread's own
/// array, grown on demand and kept, allocates only the first time a thread needs a larger size.
/// </remarks>
internal static class ScratchBuffers
{
    [ThreadStatic]
    private static float[]? t_vectors;

    /// <summary>Returns this thread's vector array, with at least <paramref name="length"/> elements.</summary>
    public static float[] Vectors(int length)
    {
        if (t_vectors is null || t_vectors.Length < length)
        {
            t_vectors = new float[Math.Max(length, 64)];
        }

        return t_vectors;
    }
}

namespace MetaModel.Scoring;

/// <summary>Per-thread scratch arrays for decisions and updates.</summary>
/// <remarks>
/// A decision needs d(d + 1)/2 floats of quadratic-form weights, too many for the stack at large d. Renting them
/// from the shared array pool allocated again whenever the pool trimmed its arrays after a full garbage
/// collection, which the benchmarks showed as a stray byte per operation at d = 384; a thread's own array,
/// grown on demand and kept, allocates only the first time a thread needs a larger size.
/// </remarks>
internal static class ScratchBuffers
{
    [ThreadStatic]
    private static float[]? t_weights;

    [ThreadStatic]
    private static float[]? t_vectors;

    /// <summary>Returns this thread's weights array, with at least <paramref name="length"/> elements.</summary>
    public static float[] Weights(int length) => Ensure(ref t_weights, length);

    /// <summary>Returns this thread's vector array, with at least <paramref name="length"/> elements.</summary>
    /// <remarks>Distinct from <see cref="Weights"/>, so a caller may hold both at once.</remarks>
    public static float[] Vectors(int length) => Ensure(ref t_vectors, length);

    private static float[] Ensure(ref float[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = new float[Math.Max(length, 64)];
        }

        return buffer;
    }
}

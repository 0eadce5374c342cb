namespace MetaModel.Scoring;

/// <summary>Per-thread scratch vectors for decisions and updates, aligned to a cache line.</summary>
/// <remarks>
/// Renting scratch from the shared array pool allocated again whenever the pool trimmed its arrays after a full
/// garbage collection, which the benchmarks showed as a stray byte per operation at d = 384; a thread's own
/// array, grown on demand and kept, allocates only the first time a thread needs a larger size. It starts on a
/// 64-byte boundary (see <see cref="AlignedFloats"/>), so a kernel's vector that begins at a multiple of eight
/// floats within it never straddles a cache line.
/// </remarks>
internal static class ScratchBuffers
{
    [ThreadStatic]
    private static Buffer? t_buffer;

    /// <summary>Returns this thread's scratch span of <paramref name="length"/> floats, starting on a 64-byte
    /// boundary; its contents are whatever the thread last left there.</summary>
    public static Span<float> Vectors(int length)
    {
        Buffer? buffer = t_buffer;
        if (buffer is null || buffer.Length < length)
        {
            buffer = new Buffer(Math.Max(length, 64));
            t_buffer = buffer;
        }

        return buffer.Array.AsSpan(buffer.Start, length);
    }

    private sealed class Buffer
    {
        public Buffer(int length)
        {
            Array = AlignedFloats.Allocate(length, out int start);
            Start = start;
            Length = length;
        }

        public float[] Array { get; }

        public int Start { get; }

        public int Length { get; }
    }
}

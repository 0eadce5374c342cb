using System.Runtime.InteropServices;

namespace MetaModel.Scoring;

/// <summary>
/// Allocates float arrays whose sections start on 64-byte boundaries, so that the kernels' vector loads and stores
/// never straddle a cache line.
/// </summary>
/// <remarks>
/// The runtime aligns an array's elements to 8 bytes only, so an ordinary array starts at 8 modulo 16 bytes about
/// half the time. On a core that splits a 256-bit access into two 128-bit halves (AMD Zen 1), every half then
/// touches two cache lines: a d = 64 decision measured 20% slower over matrices at 8 modulo 16 bytes than over
/// matrices at any multiple of 16, and which of the two an arm got varied from run to run. The arrays live on the
/// pinned object heap, so the collector never moves them and an offset found once stays aligned.
/// </remarks>
internal static class AlignedFloats
{
    /// <summary>The alignment of every section, in floats: one 64-byte cache line.</summary>
    public const int Alignment = 16;

    /// <summary>Returns <paramref name="length"/> rounded up to whole cache lines of floats.</summary>
    public static int RoundUp(int length) => checked(length + Alignment - 1) & ~(Alignment - 1);

    /// <summary>
    /// Allocates a pinned array with room for <paramref name="length"/> floats from a 64-byte boundary.
    /// </summary>
    /// <param name="length">The number of floats needed; sections within it should start at multiples of
    /// <see cref="Alignment"/>, see <see cref="RoundUp"/>.</param>
    /// <param name="start">Receives the index of the first aligned element.</param>
    /// <returns>The array; its elements from <paramref name="start"/> to <paramref name="start"/> + length − 1.</returns>
    public static float[] Allocate(int length, out int start)
    {
        float[] array = GC.AllocateArray<float>(checked(length + Alignment - 1), pinned: true);
        start = AlignedStart(array);
        return array;
    }

    /// <summary>Returns the index of the first element of a pinned array that lies on a 64-byte boundary.</summary>
    private static int AlignedStart(float[] pinned)
    {
        nint address = Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);
        const int LineBytes = Alignment * sizeof(float);
        int misalignment = (int)(address & (LineBytes - 1));
        return misalignment == 0 ? 0 : (LineBytes - misalignment) / sizeof(float);
    }
}

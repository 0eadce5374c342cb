using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MetaModel.Scoring;

/// <summary>A seeded Gaussian random projection from <c>InputDimension</c> to <c>OutputDimension</c> values.</summary>
/// <remarks>
/// <para>
/// Computes y = Rx where every entry of the OutputDimension×InputDimension matrix R is an independent
/// N(0, 1/OutputDimension) draw, so that E‖Rx‖² = ‖x‖² and inner products are preserved in expectation
/// (Johnson–Lindenstrauss). R is a pure function of the seed and the two dimensions, on every platform: its
/// entries are drawn row by row from <see cref="SplitMix64"/>. Instances are immutable and thread-safe.
/// </para>
/// <para>
/// R is stored transposed, so that y = Σⱼ xⱼ·(column j of R) can be accumulated in registers, eight outputs per
/// 256-bit vector and up to 64 outputs per pass over the matrix. Calling a dot product per output row instead
/// cost more than all the arms' scoring of a reduced-mode decision.
/// </para>
/// </remarks>
internal sealed class RandomProjection
{
    private const int BlockVectors = 8;

    // Rᵀ from _start on: row j holds column j of R (OutputDimension values). It starts on a cache line
    // (see AlignedFloats), so the rows' vectors straddle none when OutputDimension is a multiple of eight.
    private readonly float[] _transposed;
    private readonly int _start;

    public RandomProjection(
        int inputDimension,
        int outputDimension,
        long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputDimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputDimension);

        InputDimension = inputDimension;
        OutputDimension = outputDimension;
        Seed = seed;
        _transposed = AlignedFloats.Allocate(checked(inputDimension * outputDimension), out _start);

        // Mixing the dimensions into the seed gives unrelated matrices for different shapes.
        var random = new SplitMix64(SplitMix64.Mix((ulong)seed ^ ((ulong)inputDimension << 32) ^ (ulong)outputDimension));
        double scale = 1.0 / Math.Sqrt(outputDimension);
        for (int i = 0; i < outputDimension; i++)
        {
            for (int j = 0; j < inputDimension; j++)
            {
                _transposed[_start + (j * outputDimension) + i] = (float)(random.NextStandardNormal() * scale);
            }
        }
    }

    public int InputDimension { get; }

    public int OutputDimension { get; }

    public long Seed { get; }

    /// <summary>Gets the entry R(row, column), for tests.</summary>
    internal float this[int row, int column] => _transposed[_start + (column * OutputDimension) + row];

    /// <summary>Writes y = Rx into <paramref name="destination"/>.</summary>
    public void Project(ReadOnlySpan<float> source, Span<float> destination)
    {
        Debug.Assert(source.Length == InputDimension);
        Debug.Assert(destination.Length == OutputDimension);
        int width = Vector256<float>.Count;
        int vectorOutputs = PackedKernels.Enabled ? OutputDimension - (OutputDimension % width) : 0;
        for (int start = 0; start < vectorOutputs; start += BlockVectors * width)
        {
            ProjectBlock(source, destination, start, Math.Min(BlockVectors, (vectorOutputs - start) / width));
        }

        // Outputs that do not fill a vector, or all of them without 256-bit vectors: one axpy per input.
        if (vectorOutputs < OutputDimension)
        {
            Span<float> tail = destination.Slice(vectorOutputs);
            tail.Clear();
            for (int j = 0; j < InputDimension; j++)
            {
                ReadOnlySpan<float> column = _transposed.AsSpan(_start + (j * OutputDimension) + vectorOutputs, tail.Length);
                TensorPrimitives.MultiplyAdd(column, source[j], tail, tail);
            }
        }
    }

    private void ProjectBlock(
        ReadOnlySpan<float> source,
        Span<float> destination,
        int start,
        int vectors)
    {
        ref float matrix = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_transposed), _start);
        int width = Vector256<float>.Count;
        Vector256<float> y0 = default, y1 = default, y2 = default, y3 = default;
        Vector256<float> y4 = default, y5 = default, y6 = default, y7 = default;
        for (int j = 0; j < InputDimension; j++)
        {
            var xj = Vector256.Create(source[j]);
            ref float column = ref Unsafe.Add(ref matrix, (j * OutputDimension) + start);

            // The block size is fixed per call, so these branches are perfectly predicted.
            y0 = Fma(xj, Vector256.LoadUnsafe(ref column), y0);
            if (vectors > 1)
            {
                y1 = Fma(xj, Vector256.LoadUnsafe(ref column, (nuint)width), y1);
            }

            if (vectors > 2)
            {
                y2 = Fma(xj, Vector256.LoadUnsafe(ref column, (nuint)(2 * width)), y2);
            }

            if (vectors > 3)
            {
                y3 = Fma(xj, Vector256.LoadUnsafe(ref column, (nuint)(3 * width)), y3);
            }

            if (vectors > 4)
            {
                y4 = Fma(xj, Vector256.LoadUnsafe(ref column, (nuint)(4 * width)), y4);
            }

            if (vectors > 5)
            {
                y5 = Fma(xj, Vector256.LoadUnsafe(ref column, (nuint)(5 * width)), y5);
            }

            if (vectors > 6)
            {
                y6 = Fma(xj, Vector256.LoadUnsafe(ref column, (nuint)(6 * width)), y6);
            }

            if (vectors > 7)
            {
                y7 = Fma(xj, Vector256.LoadUnsafe(ref column, (nuint)(7 * width)), y7);
            }
        }

        Span<float> block = destination.Slice(start, vectors * width);
        y0.CopyTo(block);
        if (vectors > 1)
        {
            y1.CopyTo(block.Slice(width));
        }

        if (vectors > 2)
        {
            y2.CopyTo(block.Slice(2 * width));
        }

        if (vectors > 3)
        {
            y3.CopyTo(block.Slice(3 * width));
        }

        if (vectors > 4)
        {
            y4.CopyTo(block.Slice(4 * width));
        }

        if (vectors > 5)
        {
            y5.CopyTo(block.Slice(5 * width));
        }

        if (vectors > 6)
        {
            y6.CopyTo(block.Slice(6 * width));
        }

        if (vectors > 7)
        {
            y7.CopyTo(block.Slice(7 * width));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma(
        Vector256<float> a,
        Vector256<float> b,
        Vector256<float> addend) =>
        Vector256.MultiplyAddEstimate(a, b, addend);
}

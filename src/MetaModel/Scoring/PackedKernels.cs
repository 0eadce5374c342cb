using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MetaModel.Scoring;

/// <summary>
/// Fused Vector256 kernels for the packed-triangle operations of a decision and an update, with
/// <see cref="PackedSymmetric"/> (TensorPrimitives, one call per row) as the fallback and reference.
/// </summary>
/// <remarks>
/// At the sizes a router uses (d ≈ 64) every packed row is short, so the per-call overhead of a library kernel
/// per row dominated the decision and update benchmarks (see perf/results). These kernels walk each row once
/// and fuse the operations that touch the same row, which removes those calls. A row's last partial vector
/// runs as a scalar loop: an overlapping masked vector was measured slower (its load of lanes that the
/// previous vector had just stored stalls store forwarding), and so was accumulating the lower triangle of
/// the matrix–vector product in registers by column blocks. They produce the same values as
/// <see cref="PackedSymmetric"/> up to rounding (fused multiply-add where the hardware has it, and a different
/// summation order). Machines without 256-bit vectors use <see cref="PackedSymmetric"/>.
/// </remarks>
internal static class PackedKernels
{
    /// <summary>Gets a value indicating whether the hand-written kernels run on this machine.</summary>
    internal static bool Enabled { get; } = Vector256.IsHardwareAccelerated;

    /// <summary>Computes Dot(a, b) = Σ aᵢbᵢ; 0 for empty spans. Lengths must match.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Debug.Assert(a.Length == b.Length);
        if (!Enabled || a.Length < 4 * Vector256<float>.Count)
        {
            return TensorPrimitives.Dot(a, b);
        }

        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        int n = a.Length;
        int width = Vector256<float>.Count;
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        var acc2 = Vector256<float>.Zero;
        var acc3 = Vector256<float>.Zero;
        int j = 0;

        // Four independent accumulators hide the latency of the multiply-add chain.
        for (; j <= n - (4 * width); j += 4 * width)
        {
            acc0 = Fma(Load(ref ra, j), Load(ref rb, j), acc0);
            acc1 = Fma(Load(ref ra, j + width), Load(ref rb, j + width), acc1);
            acc2 = Fma(Load(ref ra, j + (2 * width)), Load(ref rb, j + (2 * width)), acc2);
            acc3 = Fma(Load(ref ra, j + (3 * width)), Load(ref rb, j + (3 * width)), acc3);
        }

        for (; j <= n - width; j += width)
        {
            acc0 = Fma(Load(ref ra, j), Load(ref rb, j), acc0);
        }

        float sum = Vector256.Sum((acc0 + acc1) + (acc2 + acc3));
        for (; j < n; j++)
        {
            sum += Unsafe.Add(ref ra, j) * Unsafe.Add(ref rb, j);
        }

        return sum;
    }

    /// <summary>Writes the packed weights of xᵀPx; see <see cref="PackedSymmetric.BuildQuadraticWeights"/>.</summary>
    public static void BuildQuadraticWeights(ReadOnlySpan<float> x, Span<float> weights)
    {
        int d = x.Length;
        Debug.Assert(weights.Length == PackedSymmetric.Length(d));
        if (!Enabled)
        {
            PackedSymmetric.BuildQuadraticWeights(x, weights);
            return;
        }

        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float rw = ref MemoryMarshal.GetReference(weights);
        int width = Vector256<float>.Count;
        int offset = 0;
        for (int i = 0; i < d; i++)
        {
            float xi = Unsafe.Add(ref rx, i);
            var twice = Vector256.Create(2f * xi);
            int rowLength = d - i;
            ref float row = ref Unsafe.Add(ref rw, offset);
            ref float tail = ref Unsafe.Add(ref rx, i);
            int j = 0;
            for (; j <= rowLength - width; j += width)
            {
                Store(twice * Load(ref tail, j), ref row, j);
            }

            for (; j < rowLength; j++)
            {
                Unsafe.Add(ref row, j) = 2f * xi * Unsafe.Add(ref tail, j);
            }

            row = xi * xi;
            offset += rowLength;
        }
    }

    /// <summary>Computes y = Px for a packed symmetric P; see <see cref="PackedSymmetric.MultiplyVector"/>.</summary>
    public static void MultiplyVector(ReadOnlySpan<float> packed, ReadOnlySpan<float> x, Span<float> y)
    {
        int d = x.Length;
        Debug.Assert(packed.Length == PackedSymmetric.Length(d) && y.Length == d);
        if (!Enabled)
        {
            PackedSymmetric.MultiplyVector(packed, x, y);
            return;
        }

        y.Clear();
        ref float rp = ref MemoryMarshal.GetReference(packed);
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        int width = Vector256<float>.Count;
        int offset = 0;
        for (int i = 0; i < d; i++)
        {
            int rowLength = d - i;
            ref float row = ref Unsafe.Add(ref rp, offset);
            ref float xs = ref Unsafe.Add(ref rx, i);
            ref float ys = ref Unsafe.Add(ref ry, i);
            float xi = xs;
            var xiVector = Vector256.Create(xi);
            var dot = Vector256<float>.Zero;

            // One pass over row i gives the upper part of (Px)ᵢ and, by symmetry, adds column i's
            // contribution xᵢ·P(i, j) to every later yⱼ. The diagonal is counted in both and removed below.
            int j = 0;
            for (; j <= rowLength - width; j += width)
            {
                Vector256<float> p = Load(ref row, j);
                dot = Fma(p, Load(ref xs, j), dot);
                Store(Fma(p, xiVector, Load(ref ys, j)), ref ys, j);
            }

            float sum = Vector256.Sum(dot);
            for (; j < rowLength; j++)
            {
                float p = Unsafe.Add(ref row, j);
                sum += p * Unsafe.Add(ref xs, j);
                Unsafe.Add(ref ys, j) += p * xi;
            }

            ys += sum - (row * xi);
            offset += rowLength;
        }
    }

    /// <summary>
    /// Applies the matrix part of an update in one pass over both packed matrices:
    /// P ← (P + c·uuᵀ)·s and A ← g·A + xxᵀ.
    /// </summary>
    public static void UpdateMatrices(
        Span<float> inverse,
        Span<float> gram,
        ReadOnlySpan<float> u,
        ReadOnlySpan<float> x,
        float coefficient,
        float inverseScale,
        float gramScale)
    {
        int d = x.Length;
        Debug.Assert(inverse.Length == PackedSymmetric.Length(d) && gram.Length == inverse.Length);
        if (!Enabled)
        {
            PackedSymmetric.AddScaledOuterProduct(inverse, u, coefficient);
            if (inverseScale != 1f)
            {
                TensorPrimitives.Multiply(inverse, inverseScale, inverse);
            }

            if (gramScale != 1f)
            {
                TensorPrimitives.Multiply(gram, gramScale, gram);
            }

            PackedSymmetric.AddScaledOuterProduct(gram, x, 1f);
            return;
        }

        ref float rp = ref MemoryMarshal.GetReference(inverse);
        ref float ra = ref MemoryMarshal.GetReference(gram);
        ref float ru = ref MemoryMarshal.GetReference(u);
        ref float rx = ref MemoryMarshal.GetReference(x);
        var s = Vector256.Create(inverseScale);
        var g = Vector256.Create(gramScale);
        int width = Vector256<float>.Count;
        int offset = 0;
        for (int i = 0; i < d; i++)
        {
            int rowLength = d - i;
            ref float prow = ref Unsafe.Add(ref rp, offset);
            ref float arow = ref Unsafe.Add(ref ra, offset);
            ref float us = ref Unsafe.Add(ref ru, i);
            ref float xs = ref Unsafe.Add(ref rx, i);
            float cu = coefficient * us;
            float xi = xs;
            var cuVector = Vector256.Create(cu);
            var xiVector = Vector256.Create(xi);
            int j = 0;
            for (; j <= rowLength - width; j += width)
            {
                Store(Fma(cuVector, Load(ref us, j), Load(ref prow, j)) * s, ref prow, j);
                Store(Fma(xiVector, Load(ref xs, j), g * Load(ref arow, j)), ref arow, j);
            }

            for (; j < rowLength; j++)
            {
                ref float p = ref Unsafe.Add(ref prow, j);
                p = (p + (cu * Unsafe.Add(ref us, j))) * inverseScale;
                ref float a = ref Unsafe.Add(ref arow, j);
                a = (gramScale * a) + (xi * Unsafe.Add(ref xs, j));
            }

            offset += rowLength;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(ref float source, int index) =>
        Vector256.LoadUnsafe(ref source, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> value, ref float destination, int index) =>
        value.StoreUnsafe(ref destination, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> addend) =>
        Vector256.MultiplyAddEstimate(a, b, addend);
}

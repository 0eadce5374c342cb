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

    /// <summary>
    /// Computes the quadratic form xᵀPx of a blocked P (see <see cref="BlockedSymmetric"/>) row by row:
    /// Σᵢ xᵢ(Σ over the diagonal block Pᵢⱼxⱼ + 2Σ over later blocks Pᵢⱼxⱼ).
    /// </summary>
    /// <param name="blocked">The blocked matrix.</param>
    /// <param name="x">The vector, zero-padded to the padded dimension.</param>
    /// <param name="dimension">The dimension d.</param>
    /// <remarks>
    /// Reads P and the small x only, where the weights form (<see cref="BuildBlockedWeights"/> and <see cref="Dot"/>)
    /// streams a second array as large as P; the products xᵢxⱼ are recomputed per arm instead, which costs
    /// multiplications but no memory traffic.
    /// </remarks>
    public static float QuadraticForm(ReadOnlySpan<float> blocked, ReadOnlySpan<float> x, int dimension)
    {
        int padded = x.Length;
        Debug.Assert(padded == BlockedSymmetric.PaddedDimension(dimension));
        Debug.Assert(blocked.Length == BlockedSymmetric.Length(dimension));
        ref float rp = ref MemoryMarshal.GetReference(blocked);
        ref float rx = ref MemoryMarshal.GetReference(x);
        const int B = BlockedSymmetric.Block;
        if (!Enabled)
        {
            return ScalarQuadraticForm(ref rp, ref rx, dimension, padded);
        }

        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        var acc2 = Vector256<float>.Zero;
        var acc3 = Vector256<float>.Zero;
        int offset = 0;
        for (int i = 0; i < dimension; i++)
        {
            int start = i & ~(B - 1);
            int rowLength = padded - start;
            ref float row = ref Unsafe.Add(ref rp, offset);
            ref float xs = ref Unsafe.Add(ref rx, start);
            float xi = Unsafe.Add(ref rx, i);
            var twice = Vector256.Create(2f * xi);

            // The diagonal block holds both triangles, so its weight is xᵢxⱼ; later blocks stand for two elements.
            acc0 = Fma(Load(ref row, 0), Vector256.Create(xi) * Load(ref xs, 0), acc0);
            int j = B;
            for (; j <= rowLength - (2 * B); j += 2 * B)
            {
                acc1 = Fma(Load(ref row, j), twice * Load(ref xs, j), acc1);
                acc2 = Fma(Load(ref row, j + B), twice * Load(ref xs, j + B), acc2);
            }

            if (j < rowLength)
            {
                acc3 = Fma(Load(ref row, j), twice * Load(ref xs, j), acc3);
            }

            offset += rowLength;
        }

        return Vector256.Sum((acc0 + acc1) + (acc2 + acc3));
    }

    /// <summary>
    /// Writes the blocked weights w such that Dot(P, w) = xᵀPx for a blocked P: xᵢxⱼ in the diagonal block of
    /// row i and 2xᵢxⱼ after it; the padding gets zeros.
    /// </summary>
    /// <param name="x">The vector, zero-padded to the padded dimension.</param>
    /// <param name="weights">Receives the weights, <see cref="BlockedSymmetric.Length"/>(d) floats.</param>
    /// <param name="dimension">The dimension d.</param>
    public static void BuildBlockedWeights(ReadOnlySpan<float> x, Span<float> weights, int dimension)
    {
        int padded = x.Length;
        Debug.Assert(padded == BlockedSymmetric.PaddedDimension(dimension));
        Debug.Assert(weights.Length == BlockedSymmetric.Length(dimension));
        const int B = BlockedSymmetric.Block;
        int offset = 0;
        for (int i = 0; i < padded; i++)
        {
            int start = i & ~(B - 1);
            int rowLength = padded - start;
            Span<float> row = weights.Slice(offset, rowLength);
            ReadOnlySpan<float> xs = x.Slice(start, rowLength);
            float xi = x[i];
            TensorPrimitives.Multiply(xs.Slice(0, B), xi, row.Slice(0, B));
            TensorPrimitives.Multiply(xs.Slice(B), 2f * xi, row.Slice(B));
            offset += rowLength;
        }
    }

    /// <summary>
    /// In one pass over the rows of a blocked P and a blocked A, computes y = Px and applies A ← g·A + xxᵀ.
    /// </summary>
    /// <param name="inverse">The blocked P, read only.</param>
    /// <param name="gram">The blocked A, updated.</param>
    /// <param name="x">The vector, zero-padded to the padded dimension.</param>
    /// <param name="y">Receives Px, padded dimension floats (the padding gets zeros).</param>
    /// <param name="gramScale">The factor g applied to A.</param>
    /// <param name="dimension">The dimension d.</param>
    /// <remarks>
    /// Row i of both matrices covers the same columns and needs the same slice of x, so the Gram update rides
    /// along with the product instead of taking a pass of its own. Lock-free readers never read A, so an update
    /// runs this before it opens the seqlock's odd window.
    /// </remarks>
    public static void MultiplyVectorUpdateGram(
        ReadOnlySpan<float> inverse,
        Span<float> gram,
        ReadOnlySpan<float> x,
        Span<float> y,
        float gramScale,
        int dimension)
    {
        int padded = x.Length;
        Debug.Assert(padded == BlockedSymmetric.PaddedDimension(dimension) && y.Length == padded);
        Debug.Assert(inverse.Length == BlockedSymmetric.Length(dimension) && gram.Length == inverse.Length);
        y.Clear();
        ref float rp = ref MemoryMarshal.GetReference(inverse);
        ref float ra = ref MemoryMarshal.GetReference(gram);
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        const int B = BlockedSymmetric.Block;
        if (!Enabled)
        {
            ScalarMultiplyVectorUpdateGram(ref rp, ref ra, ref rx, ref ry, gramScale, dimension, padded);
            return;
        }

        var g = Vector256.Create(gramScale);
        int offset = 0;
        for (int i = 0; i < dimension; i++)
        {
            int start = i & ~(B - 1);
            int rowLength = padded - start;
            ref float prow = ref Unsafe.Add(ref rp, offset);
            ref float arow = ref Unsafe.Add(ref ra, offset);
            ref float xs = ref Unsafe.Add(ref rx, start);
            ref float ys = ref Unsafe.Add(ref ry, start);
            var xi = Vector256.Create(Unsafe.Add(ref rx, i));

            // The diagonal block holds the whole of (Px)ᵢ's share of it. Each later block adds its upper part to
            // (Px)ᵢ and, by symmetry, xᵢ·P(i, j) to the later yⱼ, which no row of their own block touches.
            Vector256<float> xv = Load(ref xs, 0);
            Vector256<float> dot0 = Load(ref prow, 0) * xv;
            var dot1 = Vector256<float>.Zero;
            Store(Fma(xi, xv, g * Load(ref arow, 0)), ref arow, 0);
            int j = B;
            for (; j <= rowLength - (2 * B); j += 2 * B)
            {
                Vector256<float> p = Load(ref prow, j);
                xv = Load(ref xs, j);
                dot0 = Fma(p, xv, dot0);
                Store(Fma(p, xi, Load(ref ys, j)), ref ys, j);
                Store(Fma(xi, xv, g * Load(ref arow, j)), ref arow, j);
                p = Load(ref prow, j + B);
                xv = Load(ref xs, j + B);
                dot1 = Fma(p, xv, dot1);
                Store(Fma(p, xi, Load(ref ys, j + B)), ref ys, j + B);
                Store(Fma(xi, xv, g * Load(ref arow, j + B)), ref arow, j + B);
            }

            if (j < rowLength)
            {
                Vector256<float> p = Load(ref prow, j);
                xv = Load(ref xs, j);
                dot0 = Fma(p, xv, dot0);
                Store(Fma(p, xi, Load(ref ys, j)), ref ys, j);
                Store(Fma(xi, xv, g * Load(ref arow, j)), ref arow, j);
            }

            Unsafe.Add(ref ry, i) += Vector256.Sum(dot0 + dot1);
            offset += rowLength;
        }
    }

    /// <summary>Applies P ← (P + c·uuᵀ)·s to a blocked P.</summary>
    /// <param name="inverse">The blocked P, updated.</param>
    /// <param name="u">The vector, zero-padded to the padded dimension.</param>
    /// <param name="coefficient">The coefficient c.</param>
    /// <param name="scale">The factor s.</param>
    /// <param name="dimension">The dimension d.</param>
    public static void AddScaledOuterProduct(
        Span<float> inverse,
        ReadOnlySpan<float> u,
        float coefficient,
        float scale,
        int dimension)
    {
        int padded = u.Length;
        Debug.Assert(padded == BlockedSymmetric.PaddedDimension(dimension));
        Debug.Assert(inverse.Length == BlockedSymmetric.Length(dimension));
        ref float rp = ref MemoryMarshal.GetReference(inverse);
        ref float ru = ref MemoryMarshal.GetReference(u);
        const int B = BlockedSymmetric.Block;
        if (!Enabled)
        {
            ScalarAddScaledOuterProduct(ref rp, ref ru, coefficient, scale, dimension, padded);
            return;
        }

        var s = Vector256.Create(scale);
        int offset = 0;
        for (int i = 0; i < dimension; i++)
        {
            int start = i & ~(B - 1);
            int rowLength = padded - start;
            ref float prow = ref Unsafe.Add(ref rp, offset);
            ref float us = ref Unsafe.Add(ref ru, start);
            var cu = Vector256.Create(coefficient * Unsafe.Add(ref ru, i));
            for (int j = 0; j < rowLength; j += B)
            {
                Store(Fma(cu, Load(ref us, j), Load(ref prow, j)) * s, ref prow, j);
            }

            offset += rowLength;
        }
    }

    private static float ScalarQuadraticForm(ref float rp, ref float rx, int dimension, int padded)
    {
        const int B = BlockedSymmetric.Block;
        float sum = 0f;
        int offset = 0;
        for (int i = 0; i < dimension; i++)
        {
            int start = i & ~(B - 1);
            int rowLength = padded - start;
            float diagonal = 0f, later = 0f;
            for (int j = 0; j < rowLength; j++)
            {
                float product = Unsafe.Add(ref rp, offset + j) * Unsafe.Add(ref rx, start + j);
                if (j < B)
                {
                    diagonal += product;
                }
                else
                {
                    later += product;
                }
            }

            sum += Unsafe.Add(ref rx, i) * (diagonal + (2f * later));
            offset += rowLength;
        }

        return sum;
    }

    private static void ScalarMultiplyVectorUpdateGram(
        ref float rp,
        ref float ra,
        ref float rx,
        ref float ry,
        float gramScale,
        int dimension,
        int padded)
    {
        const int B = BlockedSymmetric.Block;
        int offset = 0;
        for (int i = 0; i < dimension; i++)
        {
            int start = i & ~(B - 1);
            int rowLength = padded - start;
            float xi = Unsafe.Add(ref rx, i);
            float dot = 0f;
            for (int j = 0; j < rowLength; j++)
            {
                float p = Unsafe.Add(ref rp, offset + j);
                float xj = Unsafe.Add(ref rx, start + j);
                dot += p * xj;
                if (j >= B)
                {
                    Unsafe.Add(ref ry, start + j) += p * xi;
                }

                ref float a = ref Unsafe.Add(ref ra, offset + j);
                a = (gramScale * a) + (xi * xj);
            }

            Unsafe.Add(ref ry, i) += dot;
            offset += rowLength;
        }
    }

    private static void ScalarAddScaledOuterProduct(
        ref float rp,
        ref float ru,
        float coefficient,
        float scale,
        int dimension,
        int padded)
    {
        const int B = BlockedSymmetric.Block;
        int offset = 0;
        for (int i = 0; i < dimension; i++)
        {
            int start = i & ~(B - 1);
            int rowLength = padded - start;
            float cu = coefficient * Unsafe.Add(ref ru, i);
            for (int j = 0; j < rowLength; j++)
            {
                ref float p = ref Unsafe.Add(ref rp, offset + j);
                p = (p + (cu * Unsafe.Add(ref ru, start + j))) * scale;
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

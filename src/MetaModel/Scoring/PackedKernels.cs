using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MetaModel.Scoring;

/// <summary>
/// Vector256 kernels for a decision and an update over the blocked layout of <see cref="BlockedSymmetric"/>, with
/// plain loops over the same layout as the fallback, and the long dot product.
/// </summary>
/// <remarks>
/// <para>
/// The kernels used to walk the canonical packed rows. At d = 64 those rows are short and unaligned, so every
/// row ended in a scalar tail (an overlapping masked vector was measured slower there, because its load of lanes
/// the previous vector had just stored stalls store forwarding), and a decision streamed a packed weights array
/// as large as each arm's inverse. On the blocked layout every row is whole vectors, and each kernel walks a
/// block of eight rows tile by tile, so that one column vector of x or u serves eight rows from a register and
/// memory is read in one sequential stream.
/// </para>
/// <para>
/// Measured with <c>KernelBenchmarks</c> (one matrix, in cache) on a shared two-core machine, minimum times: the
/// quadratic form takes 100 ns at d = 64 and 3.6 µs at d = 384, where the packed weights' dot product took 230 ns
/// and 8.9 µs and building the weights another 420 ns and 8.5 µs per decision. The update's two passes take
/// 335 ns and 145 ns at d = 64 and 11.2 µs and 6.1 µs at d = 384, against 2.3 µs and 35 µs for the three
/// TensorPrimitives passes over packed rows. In a same-run comparison on padded rows stored row after row,
/// walking the rows one by one instead of eight at a time was 1.7× (d = 64) and 1.5× (d = 384) slower for the
/// quadratic form, and 1.3× and 2× slower for the two update passes at d = 64.
/// Software prefetch in the d = 384 decision made no difference beyond the noise, so there is none. The results
/// equal those of <see cref="PackedSymmetric"/> up to rounding (fused multiply-add where the hardware has it, and
/// a different summation order), and the tests hold every kernel and its plain-loop form to double-precision
/// references at every vector-width boundary.
/// </para>
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

    /// <summary>
    /// Computes the quadratic form xᵀPx of a blocked P (see <see cref="BlockedSymmetric"/>):
    /// Σᵢ xᵢ(Σ over the diagonal block Pᵢⱼxⱼ + 2Σ over later blocks Pᵢⱼxⱼ).
    /// </summary>
    /// <remarks>
    /// Each block of eight rows is walked column vector by column vector: a column vector of x (doubled after the
    /// diagonal block) is loaded once for the eight rows, and each row accumulates in a register of its own, so the
    /// loop loads P and nothing else from memory and its eight multiply-add chains are independent. This reads
    /// half of what the former Dot(P, w) with precomputed weights w = (xᵢxⱼ) read, which matters once the arms'
    /// matrices no longer fit the cache (K = 16, d = 384: 4.7 MB), and needs no weights at all.
    /// </remarks>
    /// <param name="blocked">The blocked matrix.</param>
    /// <param name="x">The vector, zero-padded to the padded dimension.</param>
    /// <param name="dimension">The dimension d.</param>
    public static float QuadraticForm(ReadOnlySpan<float> blocked, ReadOnlySpan<float> x, int dimension)
    {
        int padded = x.Length;
        Debug.Assert(padded == BlockedSymmetric.PaddedDimension(dimension));
        Debug.Assert(blocked.Length == BlockedSymmetric.Length(dimension));
        if (!Enabled)
        {
            return ScalarQuadraticForm(blocked, x, dimension);
        }

        ref float rp = ref MemoryMarshal.GetReference(blocked);
        ref float rx = ref MemoryMarshal.GetReference(x);
        const int B = BlockedSymmetric.Block;
        var total0 = Vector256<float>.Zero;
        var total1 = Vector256<float>.Zero;
        int offset = 0;

        // Padding rows are zero in P and x, so every block runs all of its rows.
        for (int start = 0; start < padded; start += B)
        {
            int rowLength = padded - start;
            ref float p0 = ref Unsafe.Add(ref rp, offset);
            ref float xs = ref Unsafe.Add(ref rx, start);

            // The diagonal block holds both triangles, so it counts once; later blocks stand for two elements.
            Vector256<float> xv = Load(ref xs, 0);
            Vector256<float> d0 = Load(ref p0, 0) * xv;
            Vector256<float> d1 = Load(ref p0, B) * xv;
            Vector256<float> d2 = Load(ref p0, 2 * B) * xv;
            Vector256<float> d3 = Load(ref p0, 3 * B) * xv;
            Vector256<float> d4 = Load(ref p0, 4 * B) * xv;
            Vector256<float> d5 = Load(ref p0, 5 * B) * xv;
            Vector256<float> d6 = Load(ref p0, 6 * B) * xv;
            Vector256<float> d7 = Load(ref p0, 7 * B) * xv;
            for (int j = B; j < rowLength; j += B)
            {
                int t = j * B;
                xv = Load(ref xs, j);
                xv += xv;
                d0 = Fma(Load(ref p0, t), xv, d0);
                d1 = Fma(Load(ref p0, t + B), xv, d1);
                d2 = Fma(Load(ref p0, t + (2 * B)), xv, d2);
                d3 = Fma(Load(ref p0, t + (3 * B)), xv, d3);
                d4 = Fma(Load(ref p0, t + (4 * B)), xv, d4);
                d5 = Fma(Load(ref p0, t + (5 * B)), xv, d5);
                d6 = Fma(Load(ref p0, t + (6 * B)), xv, d6);
                d7 = Fma(Load(ref p0, t + (7 * B)), xv, d7);
            }

            total0 = Fma(Vector256.Create(Unsafe.Add(ref xs, 0)), d0, total0);
            total1 = Fma(Vector256.Create(Unsafe.Add(ref xs, 1)), d1, total1);
            total0 = Fma(Vector256.Create(Unsafe.Add(ref xs, 2)), d2, total0);
            total1 = Fma(Vector256.Create(Unsafe.Add(ref xs, 3)), d3, total1);
            total0 = Fma(Vector256.Create(Unsafe.Add(ref xs, 4)), d4, total0);
            total1 = Fma(Vector256.Create(Unsafe.Add(ref xs, 5)), d5, total1);
            total0 = Fma(Vector256.Create(Unsafe.Add(ref xs, 6)), d6, total0);
            total1 = Fma(Vector256.Create(Unsafe.Add(ref xs, 7)), d7, total1);
            offset += B * rowLength;
        }

        return Vector256.Sum(total0 + total1);
    }

    /// <summary>
    /// In one pass over a blocked P and a blocked A, computes y = Px and applies A ← g·A + xxᵀ.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Row i of both matrices covers the same columns and needs the same slice of x, so the Gram update rides along
    /// with the product instead of taking a pass of its own. Lock-free readers never read A, so an update runs this
    /// before it opens the seqlock's odd window.
    /// </para>
    /// <para>
    /// Each block of eight rows is walked column vector by column vector. For a column vector j after the diagonal
    /// block, every row i adds P(i, j)·xⱼ to its own (Px)ᵢ and, by symmetry, xᵢ·P(i, j) to the later yⱼ; the
    /// latter is summed over the block's rows in a register and added to y once per block, where walking row by
    /// row loaded and stored that slice of y once per row (measured 25% slower at d = 64).
    /// </para>
    /// </remarks>
    /// <param name="inverse">The blocked P, read only.</param>
    /// <param name="gram">The blocked A, updated.</param>
    /// <param name="x">The vector, zero-padded to the padded dimension.</param>
    /// <param name="y">Receives Px, padded dimension floats (the padding gets zeros).</param>
    /// <param name="gramScale">The factor g applied to A.</param>
    /// <param name="dimension">The dimension d.</param>
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
        if (!Enabled)
        {
            ScalarMultiplyVectorUpdateGram(inverse, gram, x, y, gramScale, dimension);
            return;
        }

        y.Clear();
        ref float rp = ref MemoryMarshal.GetReference(inverse);
        ref float ra = ref MemoryMarshal.GetReference(gram);
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        const int B = BlockedSymmetric.Block;
        var g = Vector256.Create(gramScale);
        int offset = 0;

        // Padding rows are zero in P, A and x, so every block runs all of its rows.
        for (int start = 0; start < padded; start += B)
        {
            int rowLength = padded - start;
            ref float p0 = ref Unsafe.Add(ref rp, offset);
            ref float a0 = ref Unsafe.Add(ref ra, offset);
            ref float xs = ref Unsafe.Add(ref rx, start);
            ref float ys = ref Unsafe.Add(ref ry, start);
            Vector256<float> xv = Load(ref xs, 0);
            var x0 = Vector256.Create(Unsafe.Add(ref xs, 0));
            var x1 = Vector256.Create(Unsafe.Add(ref xs, 1));
            var x2 = Vector256.Create(Unsafe.Add(ref xs, 2));
            var x3 = Vector256.Create(Unsafe.Add(ref xs, 3));
            var x4 = Vector256.Create(Unsafe.Add(ref xs, 4));
            var x5 = Vector256.Create(Unsafe.Add(ref xs, 5));
            var x6 = Vector256.Create(Unsafe.Add(ref xs, 6));
            var x7 = Vector256.Create(Unsafe.Add(ref xs, 7));
            Vector256<float> d0 = Load(ref p0, 0) * xv;
            Vector256<float> d1 = Load(ref p0, B) * xv;
            Vector256<float> d2 = Load(ref p0, 2 * B) * xv;
            Vector256<float> d3 = Load(ref p0, 3 * B) * xv;
            Vector256<float> d4 = Load(ref p0, 4 * B) * xv;
            Vector256<float> d5 = Load(ref p0, 5 * B) * xv;
            Vector256<float> d6 = Load(ref p0, 6 * B) * xv;
            Vector256<float> d7 = Load(ref p0, 7 * B) * xv;
            // A tile of A is updated from the same column vector of x as a tile of P below.
            for (int j = 0; j < rowLength; j += B)
            {
                int t = j * B;
                xv = Load(ref xs, j);
                Store(Fma(x0, xv, g * Load(ref a0, t)), ref a0, t);
                Store(Fma(x1, xv, g * Load(ref a0, t + B)), ref a0, t + B);
                Store(Fma(x2, xv, g * Load(ref a0, t + (2 * B))), ref a0, t + (2 * B));
                Store(Fma(x3, xv, g * Load(ref a0, t + (3 * B))), ref a0, t + (3 * B));
                Store(Fma(x4, xv, g * Load(ref a0, t + (4 * B))), ref a0, t + (4 * B));
                Store(Fma(x5, xv, g * Load(ref a0, t + (5 * B))), ref a0, t + (5 * B));
                Store(Fma(x6, xv, g * Load(ref a0, t + (6 * B))), ref a0, t + (6 * B));
                Store(Fma(x7, xv, g * Load(ref a0, t + (7 * B))), ref a0, t + (7 * B));
            }

            for (int j = B; j < rowLength; j += B)
            {
                int t = j * B;
                xv = Load(ref xs, j);
                Vector256<float> p = Load(ref p0, t);
                d0 = Fma(p, xv, d0);
                Vector256<float> column = p * x0;
                p = Load(ref p0, t + B);
                d1 = Fma(p, xv, d1);
                column = Fma(p, x1, column);
                p = Load(ref p0, t + (2 * B));
                d2 = Fma(p, xv, d2);
                column = Fma(p, x2, column);
                p = Load(ref p0, t + (3 * B));
                d3 = Fma(p, xv, d3);
                column = Fma(p, x3, column);
                p = Load(ref p0, t + (4 * B));
                d4 = Fma(p, xv, d4);
                column = Fma(p, x4, column);
                p = Load(ref p0, t + (5 * B));
                d5 = Fma(p, xv, d5);
                column = Fma(p, x5, column);
                p = Load(ref p0, t + (6 * B));
                d6 = Fma(p, xv, d6);
                column = Fma(p, x6, column);
                p = Load(ref p0, t + (7 * B));
                d7 = Fma(p, xv, d7);
                column = Fma(p, x7, column);
                Store(Load(ref ys, j) + column, ref ys, j);
            }

            Store(Load(ref ys, 0) + SumEach(d0, d1, d2, d3, d4, d5, d6, d7), ref ys, 0);
            offset += B * rowLength;
        }
    }

    /// <summary>
    /// Applies P ← (P + c·uuᵀ)·s to a blocked P, keeping the two copies of each diagonal-block element equal.
    /// </summary>
    /// <remarks>
    /// Each block of eight rows is walked column vector by column vector, so that a column vector of u is loaded
    /// once for the eight rows (measured twice as fast at d = 64 as walking row by row).
    /// </remarks>
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
        if (!Enabled)
        {
            ScalarAddScaledOuterProduct(inverse, u, coefficient, scale, dimension);
            return;
        }

        ref float rp = ref MemoryMarshal.GetReference(inverse);
        ref float ru = ref MemoryMarshal.GetReference(u);
        const int B = BlockedSymmetric.Block;
        var s = Vector256.Create(scale);
        var c = Vector256.Create(coefficient);
        int offset = 0;
        for (int start = 0; start < padded; start += B)
        {
            int rowLength = padded - start;
            ref float p0 = ref Unsafe.Add(ref rp, offset);
            ref float us = ref Unsafe.Add(ref ru, start);
            Vector256<float> uv = Load(ref us, 0);

            // In the diagonal block, (uᵢuⱼ)·c rounds the same for (i, j) and (j, i), so both copies stay equal.
            var u0 = Vector256.Create(Unsafe.Add(ref us, 0));
            var u1 = Vector256.Create(Unsafe.Add(ref us, 1));
            var u2 = Vector256.Create(Unsafe.Add(ref us, 2));
            var u3 = Vector256.Create(Unsafe.Add(ref us, 3));
            var u4 = Vector256.Create(Unsafe.Add(ref us, 4));
            var u5 = Vector256.Create(Unsafe.Add(ref us, 5));
            var u6 = Vector256.Create(Unsafe.Add(ref us, 6));
            var u7 = Vector256.Create(Unsafe.Add(ref us, 7));
            Store(Fma(u0 * uv, c, Load(ref p0, 0)) * s, ref p0, 0);
            Store(Fma(u1 * uv, c, Load(ref p0, B)) * s, ref p0, B);
            Store(Fma(u2 * uv, c, Load(ref p0, 2 * B)) * s, ref p0, 2 * B);
            Store(Fma(u3 * uv, c, Load(ref p0, 3 * B)) * s, ref p0, 3 * B);
            Store(Fma(u4 * uv, c, Load(ref p0, 4 * B)) * s, ref p0, 4 * B);
            Store(Fma(u5 * uv, c, Load(ref p0, 5 * B)) * s, ref p0, 5 * B);
            Store(Fma(u6 * uv, c, Load(ref p0, 6 * B)) * s, ref p0, 6 * B);
            Store(Fma(u7 * uv, c, Load(ref p0, 7 * B)) * s, ref p0, 7 * B);
            u0 *= c;
            u1 *= c;
            u2 *= c;
            u3 *= c;
            u4 *= c;
            u5 *= c;
            u6 *= c;
            u7 *= c;
            for (int j = B; j < rowLength; j += B)
            {
                int t = j * B;
                uv = Load(ref us, j);
                Store(Fma(u0, uv, Load(ref p0, t)) * s, ref p0, t);
                Store(Fma(u1, uv, Load(ref p0, t + B)) * s, ref p0, t + B);
                Store(Fma(u2, uv, Load(ref p0, t + (2 * B))) * s, ref p0, t + (2 * B));
                Store(Fma(u3, uv, Load(ref p0, t + (3 * B))) * s, ref p0, t + (3 * B));
                Store(Fma(u4, uv, Load(ref p0, t + (4 * B))) * s, ref p0, t + (4 * B));
                Store(Fma(u5, uv, Load(ref p0, t + (5 * B))) * s, ref p0, t + (5 * B));
                Store(Fma(u6, uv, Load(ref p0, t + (6 * B))) * s, ref p0, t + (6 * B));
                Store(Fma(u7, uv, Load(ref p0, t + (7 * B))) * s, ref p0, t + (7 * B));
            }

            offset += B * rowLength;
        }
    }

    /// <summary>The plain-loop form of <see cref="QuadraticForm"/>, for machines without 256-bit vectors.</summary>
    internal static float ScalarQuadraticForm(ReadOnlySpan<float> blocked, ReadOnlySpan<float> x, int dimension)
    {
        const int B = BlockedSymmetric.Block;
        int padded = x.Length;
        float sum = 0f;
        for (int i = 0; i < dimension; i++)
        {
            int start = i & ~(B - 1);
            float diagonal = 0f, later = 0f;
            for (int j = start; j < padded; j++)
            {
                float product = blocked[BlockedSymmetric.Index(dimension, i, j)] * x[j];
                if (j < start + B)
                {
                    diagonal += product;
                }
                else
                {
                    later += product;
                }
            }

            sum += x[i] * (diagonal + (2f * later));
        }

        return sum;
    }

    /// <summary>The plain-loop form of <see cref="MultiplyVectorUpdateGram"/>.</summary>
    internal static void ScalarMultiplyVectorUpdateGram(
        ReadOnlySpan<float> inverse,
        Span<float> gram,
        ReadOnlySpan<float> x,
        Span<float> y,
        float gramScale,
        int dimension)
    {
        const int B = BlockedSymmetric.Block;
        int padded = x.Length;
        y.Clear();
        for (int i = 0; i < dimension; i++)
        {
            int start = i & ~(B - 1);
            float xi = x[i];
            float dot = 0f;
            for (int j = start; j < padded; j++)
            {
                int index = BlockedSymmetric.Index(dimension, i, j);
                float p = inverse[index];
                dot += p * x[j];
                if (j >= start + B)
                {
                    y[j] += p * xi;
                }

                gram[index] = (gramScale * gram[index]) + (xi * x[j]);
            }

            y[i] += dot;
        }
    }

    /// <summary>The plain-loop form of <see cref="AddScaledOuterProduct"/>.</summary>
    internal static void ScalarAddScaledOuterProduct(
        Span<float> inverse,
        ReadOnlySpan<float> u,
        float coefficient,
        float scale,
        int dimension)
    {
        const int B = BlockedSymmetric.Block;
        int padded = u.Length;
        for (int i = 0; i < dimension; i++)
        {
            int start = i & ~(B - 1);
            float cu = coefficient * u[i];
            for (int j = start; j < padded; j++)
            {
                int index = BlockedSymmetric.Index(dimension, i, j);
                float product = j < start + B ? (u[i] * u[j]) * coefficient : cu * u[j];
                inverse[index] = (inverse[index] + product) * scale;
            }
        }
    }

    /// <summary>Returns the vector of the horizontal sums of eight vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> SumEach(
        Vector256<float> d0,
        Vector256<float> d1,
        Vector256<float> d2,
        Vector256<float> d3,
        Vector256<float> d4,
        Vector256<float> d5,
        Vector256<float> d6,
        Vector256<float> d7)
    {
        if (!Avx.IsSupported)
        {
            return Vector256.Create(
                Vector256.Sum(d0),
                Vector256.Sum(d1),
                Vector256.Sum(d2),
                Vector256.Sum(d3),
                Vector256.Sum(d4),
                Vector256.Sum(d5),
                Vector256.Sum(d6),
                Vector256.Sum(d7));
        }

        Vector256<float> low = Avx.HorizontalAdd(Avx.HorizontalAdd(d0, d1), Avx.HorizontalAdd(d2, d3));
        Vector256<float> high = Avx.HorizontalAdd(Avx.HorizontalAdd(d4, d5), Avx.HorizontalAdd(d6, d7));
        return Avx.Permute2x128(low, high, 0x20) + Avx.Permute2x128(low, high, 0x31);
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

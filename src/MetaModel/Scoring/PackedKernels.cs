using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MetaModel.Scoring;

/// <summary>
/// Vectorized kernels for a decision and an update over the blocked layout of <see cref="BlockedSymmetric"/>, on
/// 256-bit vectors or on pairs of 128-bit vectors (Arm64), with plain loops over the same layout as the fallback,
/// and the long dot product.
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
/// <para>
/// Each kernel is written once, generic over the operations on an octet (<see cref="IOctetOperations{TOctet}"/>),
/// and dispatched by <see cref="Width"/>; the 256-bit instantiation compiles to the same instructions as the kernels
/// written for <see cref="Vector256{T}"/> alone did (compared in the JIT's listings). The two update kernels are
/// compiled fully optimized from their first call: unoptimized, they call every octet operation instead of
/// inlining it, and one benchmark measured 184 µs instead of 20 µs per d = 384 update until the runtime recompiled
/// them. So is the quadratic form: left to tiered compilation, its profile-guided code differed from process to
/// process, and on one Zen 1 machine a d = 64 decision took about 3.8 µs in some processes and 4.8 µs in others,
/// where fully optimized code took 3.8–4.1 µs in every one (BenchmarkDotNet, four launches each). On one x64
/// machine (<c>VectorWidthBenchmarks</c>) the 128-bit pairs take 1.6–2.7× the time of 256-bit vectors and the plain
/// loops 30–84×: machines without 256-bit vectors, Arm64 among them, run the pairs.
/// </para>
/// </remarks>
internal static class PackedKernels
{
    /// <summary>Gets a value indicating whether 256-bit vectors are hardware accelerated here (the long dot product
    /// and the projection use them only then).</summary>
    internal static bool Enabled { get; } = Vector256.IsHardwareAccelerated;

    /// <summary>Gets the vectors the blocked kernels run on here: 256-bit, pairs of 128-bit (Arm64), or none.</summary>
    internal static VectorWidth Width { get; } =
        Vector256.IsHardwareAccelerated ? VectorWidth.Bits256
        : Vector128.IsHardwareAccelerated ? VectorWidth.Bits128
        : VectorWidth.None;

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
    /// <param name="blocked">The blocked matrix.</param>
    /// <param name="x">The vector, zero-padded to the padded dimension.</param>
    /// <param name="dimension">The dimension d.</param>
    public static float QuadraticForm(ReadOnlySpan<float> blocked, ReadOnlySpan<float> x, int dimension) => Width switch
    {
        VectorWidth.Bits256 => QuadraticForm<Vector256<float>, Octet256>(blocked, x, dimension),
        VectorWidth.Bits128 => QuadraticForm<Octet128Pair, Octet128Pair>(blocked, x, dimension),
        _ => ScalarQuadraticForm(blocked, x, dimension),
    };

    /// <summary>In one pass over a blocked P and a blocked A, computes y = Px and applies A ← g·A + xxᵀ.</summary>
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
        switch (Width)
        {
            case VectorWidth.Bits256:
                MultiplyVectorUpdateGram<Vector256<float>, Octet256>(inverse, gram, x, y, gramScale, dimension);
                break;
            case VectorWidth.Bits128:
                MultiplyVectorUpdateGram<Octet128Pair, Octet128Pair>(inverse, gram, x, y, gramScale, dimension);
                break;
            default:
                ScalarMultiplyVectorUpdateGram(inverse, gram, x, y, gramScale, dimension);
                break;
        }
    }

    /// <summary>
    /// Applies P ← (P + c·uuᵀ)·s to a blocked P, keeping the two copies of each diagonal-block element equal.
    /// </summary>
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
        switch (Width)
        {
            case VectorWidth.Bits256:
                AddScaledOuterProduct<Vector256<float>, Octet256>(inverse, u, coefficient, scale, dimension);
                break;
            case VectorWidth.Bits128:
                AddScaledOuterProduct<Octet128Pair, Octet128Pair>(inverse, u, coefficient, scale, dimension);
                break;
            default:
                ScalarAddScaledOuterProduct(inverse, u, coefficient, scale, dimension);
                break;
        }
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float QuadraticForm<TVector, TOps>(ReadOnlySpan<float> blocked, ReadOnlySpan<float> x, int dimension)
        where TVector : struct
        where TOps : IOctetOperations<TVector>
    {
        int padded = x.Length;
        Debug.Assert(padded == BlockedSymmetric.PaddedDimension(dimension));
        Debug.Assert(blocked.Length == BlockedSymmetric.Length(dimension));
        ref float rp = ref MemoryMarshal.GetReference(blocked);
        ref float rx = ref MemoryMarshal.GetReference(x);
        const int B = BlockedSymmetric.Block;
        var total0 = TOps.Zero;
        var total1 = TOps.Zero;
        int offset = 0;

        // Padding rows are zero in P and x, so every block runs all of its rows.
        for (int start = 0; start < padded; start += B)
        {
            int rowLength = padded - start;
            ref float p0 = ref Unsafe.Add(ref rp, offset);
            ref float xs = ref Unsafe.Add(ref rx, start);

            // The diagonal block holds both triangles, so it counts once; later blocks stand for two elements.
            TVector xv = TOps.Load(ref xs, 0);
            TVector d0 = TOps.Multiply(TOps.Load(ref p0, 0), xv);
            TVector d1 = TOps.Multiply(TOps.Load(ref p0, B), xv);
            TVector d2 = TOps.Multiply(TOps.Load(ref p0, 2 * B), xv);
            TVector d3 = TOps.Multiply(TOps.Load(ref p0, 3 * B), xv);
            TVector d4 = TOps.Multiply(TOps.Load(ref p0, 4 * B), xv);
            TVector d5 = TOps.Multiply(TOps.Load(ref p0, 5 * B), xv);
            TVector d6 = TOps.Multiply(TOps.Load(ref p0, 6 * B), xv);
            TVector d7 = TOps.Multiply(TOps.Load(ref p0, 7 * B), xv);
            for (int j = B; j < rowLength; j += B)
            {
                int t = j * B;
                xv = TOps.Load(ref xs, j);
                xv = TOps.Add(xv, xv);
                d0 = TOps.MultiplyAdd(TOps.Load(ref p0, t), xv, d0);
                d1 = TOps.MultiplyAdd(TOps.Load(ref p0, t + B), xv, d1);
                d2 = TOps.MultiplyAdd(TOps.Load(ref p0, t + (2 * B)), xv, d2);
                d3 = TOps.MultiplyAdd(TOps.Load(ref p0, t + (3 * B)), xv, d3);
                d4 = TOps.MultiplyAdd(TOps.Load(ref p0, t + (4 * B)), xv, d4);
                d5 = TOps.MultiplyAdd(TOps.Load(ref p0, t + (5 * B)), xv, d5);
                d6 = TOps.MultiplyAdd(TOps.Load(ref p0, t + (6 * B)), xv, d6);
                d7 = TOps.MultiplyAdd(TOps.Load(ref p0, t + (7 * B)), xv, d7);
            }

            total0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref xs, 0)), d0, total0);
            total1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref xs, 1)), d1, total1);
            total0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref xs, 2)), d2, total0);
            total1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref xs, 3)), d3, total1);
            total0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref xs, 4)), d4, total0);
            total1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref xs, 5)), d5, total1);
            total0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref xs, 6)), d6, total0);
            total1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref xs, 7)), d7, total1);
            offset += B * rowLength;
        }

        return TOps.Sum(TOps.Add(total0, total1));
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MultiplyVectorUpdateGram<TVector, TOps>(
        ReadOnlySpan<float> inverse,
        Span<float> gram,
        ReadOnlySpan<float> x,
        Span<float> y,
        float gramScale,
        int dimension)
        where TVector : struct
        where TOps : IOctetOperations<TVector>
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
        var g = TOps.Broadcast(gramScale);
        int offset = 0;

        // Padding rows are zero in P, A and x, so every block runs all of its rows.
        for (int start = 0; start < padded; start += B)
        {
            int rowLength = padded - start;
            ref float p0 = ref Unsafe.Add(ref rp, offset);
            ref float a0 = ref Unsafe.Add(ref ra, offset);
            ref float xs = ref Unsafe.Add(ref rx, start);
            ref float ys = ref Unsafe.Add(ref ry, start);
            TVector xv = TOps.Load(ref xs, 0);
            var x0 = TOps.Broadcast(Unsafe.Add(ref xs, 0));
            var x1 = TOps.Broadcast(Unsafe.Add(ref xs, 1));
            var x2 = TOps.Broadcast(Unsafe.Add(ref xs, 2));
            var x3 = TOps.Broadcast(Unsafe.Add(ref xs, 3));
            var x4 = TOps.Broadcast(Unsafe.Add(ref xs, 4));
            var x5 = TOps.Broadcast(Unsafe.Add(ref xs, 5));
            var x6 = TOps.Broadcast(Unsafe.Add(ref xs, 6));
            var x7 = TOps.Broadcast(Unsafe.Add(ref xs, 7));
            TVector d0 = TOps.Multiply(TOps.Load(ref p0, 0), xv);
            TVector d1 = TOps.Multiply(TOps.Load(ref p0, B), xv);
            TVector d2 = TOps.Multiply(TOps.Load(ref p0, 2 * B), xv);
            TVector d3 = TOps.Multiply(TOps.Load(ref p0, 3 * B), xv);
            TVector d4 = TOps.Multiply(TOps.Load(ref p0, 4 * B), xv);
            TVector d5 = TOps.Multiply(TOps.Load(ref p0, 5 * B), xv);
            TVector d6 = TOps.Multiply(TOps.Load(ref p0, 6 * B), xv);
            TVector d7 = TOps.Multiply(TOps.Load(ref p0, 7 * B), xv);
            // A tile of A is updated from the same column vector of x as a tile of P below.
            for (int j = 0; j < rowLength; j += B)
            {
                int t = j * B;
                xv = TOps.Load(ref xs, j);
                TOps.Store(TOps.MultiplyAdd(x0, xv, TOps.Multiply(g, TOps.Load(ref a0, t))), ref a0, t);
                TOps.Store(TOps.MultiplyAdd(x1, xv, TOps.Multiply(g, TOps.Load(ref a0, t + B))), ref a0, t + B);
                TOps.Store(TOps.MultiplyAdd(x2, xv, TOps.Multiply(g, TOps.Load(ref a0, t + (2 * B)))), ref a0, t + (2 * B));
                TOps.Store(TOps.MultiplyAdd(x3, xv, TOps.Multiply(g, TOps.Load(ref a0, t + (3 * B)))), ref a0, t + (3 * B));
                TOps.Store(TOps.MultiplyAdd(x4, xv, TOps.Multiply(g, TOps.Load(ref a0, t + (4 * B)))), ref a0, t + (4 * B));
                TOps.Store(TOps.MultiplyAdd(x5, xv, TOps.Multiply(g, TOps.Load(ref a0, t + (5 * B)))), ref a0, t + (5 * B));
                TOps.Store(TOps.MultiplyAdd(x6, xv, TOps.Multiply(g, TOps.Load(ref a0, t + (6 * B)))), ref a0, t + (6 * B));
                TOps.Store(TOps.MultiplyAdd(x7, xv, TOps.Multiply(g, TOps.Load(ref a0, t + (7 * B)))), ref a0, t + (7 * B));
            }

            for (int j = B; j < rowLength; j += B)
            {
                int t = j * B;
                xv = TOps.Load(ref xs, j);
                TVector p = TOps.Load(ref p0, t);
                d0 = TOps.MultiplyAdd(p, xv, d0);
                TVector column = TOps.Multiply(p, x0);
                p = TOps.Load(ref p0, t + B);
                d1 = TOps.MultiplyAdd(p, xv, d1);
                column = TOps.MultiplyAdd(p, x1, column);
                p = TOps.Load(ref p0, t + (2 * B));
                d2 = TOps.MultiplyAdd(p, xv, d2);
                column = TOps.MultiplyAdd(p, x2, column);
                p = TOps.Load(ref p0, t + (3 * B));
                d3 = TOps.MultiplyAdd(p, xv, d3);
                column = TOps.MultiplyAdd(p, x3, column);
                p = TOps.Load(ref p0, t + (4 * B));
                d4 = TOps.MultiplyAdd(p, xv, d4);
                column = TOps.MultiplyAdd(p, x4, column);
                p = TOps.Load(ref p0, t + (5 * B));
                d5 = TOps.MultiplyAdd(p, xv, d5);
                column = TOps.MultiplyAdd(p, x5, column);
                p = TOps.Load(ref p0, t + (6 * B));
                d6 = TOps.MultiplyAdd(p, xv, d6);
                column = TOps.MultiplyAdd(p, x6, column);
                p = TOps.Load(ref p0, t + (7 * B));
                d7 = TOps.MultiplyAdd(p, xv, d7);
                column = TOps.MultiplyAdd(p, x7, column);
                TOps.Store(TOps.Add(TOps.Load(ref ys, j), column), ref ys, j);
            }

            TOps.Store(TOps.Add(TOps.Load(ref ys, 0), TOps.SumEach(d0, d1, d2, d3, d4, d5, d6, d7)), ref ys, 0);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddScaledOuterProduct<TVector, TOps>(
        Span<float> inverse,
        ReadOnlySpan<float> u,
        float coefficient,
        float scale,
        int dimension)
        where TVector : struct
        where TOps : IOctetOperations<TVector>
    {
        int padded = u.Length;
        Debug.Assert(padded == BlockedSymmetric.PaddedDimension(dimension));
        Debug.Assert(inverse.Length == BlockedSymmetric.Length(dimension));
        ref float rp = ref MemoryMarshal.GetReference(inverse);
        ref float ru = ref MemoryMarshal.GetReference(u);
        const int B = BlockedSymmetric.Block;
        var s = TOps.Broadcast(scale);
        var c = TOps.Broadcast(coefficient);
        int offset = 0;
        for (int start = 0; start < padded; start += B)
        {
            int rowLength = padded - start;
            ref float p0 = ref Unsafe.Add(ref rp, offset);
            ref float us = ref Unsafe.Add(ref ru, start);
            TVector uv = TOps.Load(ref us, 0);

            // In the diagonal block, (uᵢuⱼ)·c rounds the same for (i, j) and (j, i), so both copies stay equal.
            var u0 = TOps.Broadcast(Unsafe.Add(ref us, 0));
            var u1 = TOps.Broadcast(Unsafe.Add(ref us, 1));
            var u2 = TOps.Broadcast(Unsafe.Add(ref us, 2));
            var u3 = TOps.Broadcast(Unsafe.Add(ref us, 3));
            var u4 = TOps.Broadcast(Unsafe.Add(ref us, 4));
            var u5 = TOps.Broadcast(Unsafe.Add(ref us, 5));
            var u6 = TOps.Broadcast(Unsafe.Add(ref us, 6));
            var u7 = TOps.Broadcast(Unsafe.Add(ref us, 7));
            TOps.Store(TOps.Multiply(TOps.MultiplyAdd(TOps.Multiply(u0, uv), c, TOps.Load(ref p0, 0)), s), ref p0, 0);
            TOps.Store(TOps.Multiply(TOps.MultiplyAdd(TOps.Multiply(u1, uv), c, TOps.Load(ref p0, B)), s), ref p0, B);
            TOps.Store(TOps.Multiply(TOps.MultiplyAdd(TOps.Multiply(u2, uv), c, TOps.Load(ref p0, 2 * B)), s), ref p0, 2 * B);
            TOps.Store(TOps.Multiply(TOps.MultiplyAdd(TOps.Multiply(u3, uv), c, TOps.Load(ref p0, 3 * B)), s), ref p0, 3 * B);
            TOps.Store(TOps.Multiply(TOps.MultiplyAdd(TOps.Multiply(u4, uv), c, TOps.Load(ref p0, 4 * B)), s), ref p0, 4 * B);
            TOps.Store(TOps.Multiply(TOps.MultiplyAdd(TOps.Multiply(u5, uv), c, TOps.Load(ref p0, 5 * B)), s), ref p0, 5 * B);
            TOps.Store(TOps.Multiply(TOps.MultiplyAdd(TOps.Multiply(u6, uv), c, TOps.Load(ref p0, 6 * B)), s), ref p0, 6 * B);
            TOps.Store(TOps.Multiply(TOps.MultiplyAdd(TOps.Multiply(u7, uv), c, TOps.Load(ref p0, 7 * B)), s), ref p0, 7 * B);
            u0 = TOps.Multiply(u0, c);
            u1 = TOps.Multiply(u1, c);
            u2 = TOps.Multiply(u2, c);
            u3 = TOps.Multiply(u3, c);
            u4 = TOps.Multiply(u4, c);
            u5 = TOps.Multiply(u5, c);
            u6 = TOps.Multiply(u6, c);
            u7 = TOps.Multiply(u7, c);
            for (int j = B; j < rowLength; j += B)
            {
                int t = j * B;
                uv = TOps.Load(ref us, j);
                TOps.Store(TOps.Multiply(TOps.MultiplyAdd(u0, uv, TOps.Load(ref p0, t)), s), ref p0, t);
                TOps.Store(TOps.Multiply(TOps.MultiplyAdd(u1, uv, TOps.Load(ref p0, t + B)), s), ref p0, t + B);
                TOps.Store(TOps.Multiply(TOps.MultiplyAdd(u2, uv, TOps.Load(ref p0, t + (2 * B))), s), ref p0, t + (2 * B));
                TOps.Store(TOps.Multiply(TOps.MultiplyAdd(u3, uv, TOps.Load(ref p0, t + (3 * B))), s), ref p0, t + (3 * B));
                TOps.Store(TOps.Multiply(TOps.MultiplyAdd(u4, uv, TOps.Load(ref p0, t + (4 * B))), s), ref p0, t + (4 * B));
                TOps.Store(TOps.Multiply(TOps.MultiplyAdd(u5, uv, TOps.Load(ref p0, t + (5 * B))), s), ref p0, t + (5 * B));
                TOps.Store(TOps.Multiply(TOps.MultiplyAdd(u6, uv, TOps.Load(ref p0, t + (6 * B))), s), ref p0, t + (6 * B));
                TOps.Store(TOps.Multiply(TOps.MultiplyAdd(u7, uv, TOps.Load(ref p0, t + (7 * B))), s), ref p0, t + (7 * B));
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(ref float source, int index) =>
        Vector256.LoadUnsafe(ref source, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> addend) =>
        Vector256.MultiplyAddEstimate(a, b, addend);
}

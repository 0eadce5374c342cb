using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MetaModel.Scoring;

/// <summary>The vectors the blocked kernels of <see cref="PackedKernels"/> can run on.</summary>
internal enum VectorWidth
{
    /// <summary>No hardware vectors: plain loops.</summary>
    None,

    /// <summary>128-bit vectors, used in pairs (Arm64 AdvSimd, or x64 without AVX).</summary>
    Bits128,

    /// <summary>256-bit vectors (x64 with AVX2).</summary>
    Bits256,
}

/// <summary>
/// The operations the blocked kernels of <see cref="PackedKernels"/> need on an octet, eight floats (one row of a
/// tile of <see cref="BlockedSymmetric"/>) held in hardware vectors, so that one generic kernel serves every width.
/// </summary>
/// <remarks>
/// The kernels are generic over a struct that implements this interface, so the JIT compiles one copy per width
/// with every call inlined. The operations are static members of a separate type rather than operators of a
/// wrapper around the vector, because a wrapper kept the JIT from folding loads into the multiply-adds (one extra
/// register move per multiply-add in the 256-bit kernels); with <see cref="Vector256{T}"/> itself as the octet the
/// generated code is that of a kernel written for it alone.
/// </remarks>
/// <typeparam name="TOctet">The type that holds an octet.</typeparam>
internal interface IOctetOperations<TOctet>
    where TOctet : struct
{
    /// <summary>Gets eight zeros.</summary>
    static abstract TOctet Zero { get; }

    /// <summary>Adds lane by lane.</summary>
    static abstract TOctet Add(TOctet left, TOctet right);

    /// <summary>Multiplies lane by lane.</summary>
    static abstract TOctet Multiply(TOctet left, TOctet right);

    /// <summary>Loads eight floats from <paramref name="source"/> at <paramref name="index"/>, unaligned.</summary>
    static abstract TOctet Load(ref float source, int index);

    /// <summary>Stores eight floats to <paramref name="destination"/> at <paramref name="index"/>, unaligned.</summary>
    static abstract void Store(TOctet value, ref float destination, int index);

    /// <summary>Returns eight copies of <paramref name="value"/>.</summary>
    static abstract TOctet Broadcast(float value);

    /// <summary>Returns a·b + c lane by lane, fused where the hardware fuses.</summary>
    static abstract TOctet MultiplyAdd(TOctet a, TOctet b, TOctet addend);

    /// <summary>Returns the sum of the eight lanes.</summary>
    static abstract float Sum(TOctet value);

    /// <summary>Returns the octet whose lane i is the sum of the lanes of <c>di</c>.</summary>
    static abstract TOctet SumEach(
        TOctet d0,
        TOctet d1,
        TOctet d2,
        TOctet d3,
        TOctet d4,
        TOctet d5,
        TOctet d6,
        TOctet d7);
}

/// <summary>The operations on an octet held in one 256-bit vector.</summary>
internal readonly struct Octet256 : IOctetOperations<Vector256<float>>
{
    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, int index) => Vector256.LoadUnsafe(ref source, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, int index) =>
        value.StoreUnsafe(ref destination, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> addend) =>
        Vector256.MultiplyAddEstimate(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SumEach(
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
            return Vector256.Create(Sum(d0), Sum(d1), Sum(d2), Sum(d3), Sum(d4), Sum(d5), Sum(d6), Sum(d7));
        }

        // Three rounds of pairwise horizontal adds leave each vector's sum split across the two 128-bit halves.
        Vector256<float> low = Avx.HorizontalAdd(Avx.HorizontalAdd(d0, d1), Avx.HorizontalAdd(d2, d3));
        Vector256<float> high = Avx.HorizontalAdd(Avx.HorizontalAdd(d4, d5), Avx.HorizontalAdd(d6, d7));
        return Avx.Permute2x128(low, high, 0x20) + Avx.Permute2x128(low, high, 0x31);
    }
}

/// <summary>An octet in two 128-bit vectors, the lower four lanes and the upper four, and its operations.</summary>
internal readonly struct Octet128Pair : IOctetOperations<Octet128Pair>
{
    private readonly Vector128<float> _lower;
    private readonly Vector128<float> _upper;

    private Octet128Pair(Vector128<float> lower, Vector128<float> upper)
    {
        _lower = lower;
        _upper = upper;
    }

    public static Octet128Pair Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Octet128Pair Add(Octet128Pair left, Octet128Pair right) =>
        new(left._lower + right._lower, left._upper + right._upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Octet128Pair Multiply(Octet128Pair left, Octet128Pair right) =>
        new(left._lower * right._lower, left._upper * right._upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Octet128Pair Load(ref float source, int index) =>
        new(Vector128.LoadUnsafe(ref source, (nuint)index), Vector128.LoadUnsafe(ref source, (nuint)index + 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Octet128Pair value, ref float destination, int index)
    {
        value._lower.StoreUnsafe(ref destination, (nuint)index);
        value._upper.StoreUnsafe(ref destination, (nuint)index + 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Octet128Pair Broadcast(float value)
    {
        var all = Vector128.Create(value);
        return new(all, all);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Octet128Pair MultiplyAdd(Octet128Pair a, Octet128Pair b, Octet128Pair addend) =>
        new(
            Vector128.MultiplyAddEstimate(a._lower, b._lower, addend._lower),
            Vector128.MultiplyAddEstimate(a._upper, b._upper, addend._upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Octet128Pair value) => Vector128.Sum(value._lower + value._upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Octet128Pair SumEach(
        Octet128Pair d0,
        Octet128Pair d1,
        Octet128Pair d2,
        Octet128Pair d3,
        Octet128Pair d4,
        Octet128Pair d5,
        Octet128Pair d6,
        Octet128Pair d7) =>
        new(
            Vector128.Create(Sum(d0), Sum(d1), Sum(d2), Sum(d3)),
            Vector128.Create(Sum(d4), Sum(d5), Sum(d6), Sum(d7)));
}

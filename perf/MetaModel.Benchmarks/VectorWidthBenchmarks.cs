using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using MetaModel.Scoring;

namespace MetaModel.Benchmarks;

/// <summary>
/// The blocked kernels at each vector width: 256-bit vectors (x64 with AVX2), pairs of 128-bit vectors (what Arm64
/// runs) and the plain loops (no hardware vectors). On x64 all three run natively, so this gives the widths'
/// ratios on one machine; it is not a measurement of an Arm64 machine.
/// </summary>
public class VectorWidthBenchmarks
{
    private float[] _blocked = null!;
    private float[] _gram = null!;
    private float[] _x = null!;
    private float[] _y = null!;

    [Params(64, 384)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(D);
        _blocked = new float[BlockedSymmetric.Length(D)];
        BlockedSymmetric.SetScaledIdentity(_blocked, D, 1f);
        _gram = (float[])_blocked.Clone();
        _x = new float[BlockedSymmetric.PaddedDimension(D)];
        ScorerFixture.UnitVector(random, D).CopyTo(_x, 0);
        _y = new float[_x.Length];
    }

    [Benchmark(Baseline = true)]
    public float QuadraticForm256() => PackedKernels.QuadraticForm<Vector256<float>, Octet256>(_blocked, _x, D);

    [Benchmark]
    public float QuadraticForm128Pairs() => PackedKernels.QuadraticForm<Octet128Pair, Octet128Pair>(_blocked, _x, D);

    [Benchmark]
    public float QuadraticFormScalar() => PackedKernels.ScalarQuadraticForm(_blocked, _x, D);

    [Benchmark]
    public void Update256()
    {
        // Tiny coefficients keep the matrices bounded over millions of iterations.
        PackedKernels.MultiplyVectorUpdateGram<Vector256<float>, Octet256>(_blocked, _gram, _x, _y, 1f, D);
        PackedKernels.AddScaledOuterProduct<Vector256<float>, Octet256>(_blocked, _x, -1e-12f, 1f, D);
    }

    [Benchmark]
    public void Update128Pairs()
    {
        PackedKernels.MultiplyVectorUpdateGram<Octet128Pair, Octet128Pair>(_blocked, _gram, _x, _y, 1f, D);
        PackedKernels.AddScaledOuterProduct<Octet128Pair, Octet128Pair>(_blocked, _x, -1e-12f, 1f, D);
    }

    [Benchmark]
    public void UpdateScalar()
    {
        PackedKernels.ScalarMultiplyVectorUpdateGram(_blocked, _gram, _x, _y, 1f, D);
        PackedKernels.ScalarAddScaledOuterProduct(_blocked, _x, -1e-12f, 1f, D);
    }
}

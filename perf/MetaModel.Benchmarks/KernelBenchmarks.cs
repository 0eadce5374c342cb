using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using MetaModel.Scoring;

namespace MetaModel.Benchmarks;

/// <summary>
/// The evidence for the hand-written kernels: each matrix operation written on TensorPrimitives (one call per row
/// of the packed triangle) against the Vector256 kernel on the blocked layout that replaced it.
/// </summary>
public class KernelBenchmarks
{
    private float[] _packed = null!;
    private float[] _packedGram = null!;
    private float[] _packedWeights = null!;
    private float[] _blocked = null!;
    private float[] _blockedGram = null!;
    private float[] _x = null!;
    private float[] _padded = null!;
    private float[] _y = null!;

    [Params(64, 384)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(D);
        int length = PackedSymmetric.Length(D);
        _packed = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        _packedGram = (float[])_packed.Clone();
        _packedWeights = new float[length];
        _blocked = new float[BlockedSymmetric.Length(D)];
        BlockedSymmetric.FromPacked(_packed, _blocked, D);
        _blockedGram = (float[])_blocked.Clone();
        _x = ScorerFixture.UnitVector(random, D);
        _padded = new float[BlockedSymmetric.PaddedDimension(D)];
        _x.CopyTo(_padded, 0);
        _y = new float[_padded.Length];
        PackedSymmetric.BuildQuadraticWeights(_x, _packedWeights);
    }

    [Benchmark(Baseline = true)]
    public float PackedWeightsDot() => TensorPrimitives.Dot(_packed, _packedWeights);

    [Benchmark]
    public float BlockedQuadraticForm() => PackedKernels.QuadraticForm(_blocked, _padded, D);

    [Benchmark]
    public void PackedWeights() => PackedSymmetric.BuildQuadraticWeights(_x, _packedWeights);

    [Benchmark]
    public void PackedUpdatePasses()
    {
        // Tiny coefficients keep the matrices bounded over millions of iterations.
        PackedSymmetric.MultiplyVector(_packed, _x, _y.AsSpan(0, D));
        PackedSymmetric.AddScaledOuterProduct(_packedGram, _x, 1e-12f);
        PackedSymmetric.AddScaledOuterProduct(_packed, _x, -1e-12f);
    }

    [Benchmark]
    public void BlockedMultiplyVectorUpdateGram() =>
        PackedKernels.MultiplyVectorUpdateGram(_blocked, _blockedGram, _padded, _y, 1f, D);

    [Benchmark]
    public void BlockedAddScaledOuterProduct() =>
        PackedKernels.AddScaledOuterProduct(_blocked, _padded, -1e-12f, 1f, D);
}

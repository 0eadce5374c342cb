using BenchmarkDotNet.Attributes;
using MetaModel.Scoring;

namespace MetaModel.Benchmarks;

/// <summary>
/// The evidence for the hand-written kernels: each packed-matrix operation written on TensorPrimitives (one call
/// per row) against the fused Vector256 kernel that replaced it.
/// </summary>
public class KernelBenchmarks
{
    private float[] _inverse = null!;
    private float[] _gram = null!;
    private float[] _weights = null!;
    private float[] _x = null!;
    private float[] _y = null!;

    [Params(64, 384)]
    public int D { get; set; }

    /// <summary>False runs the TensorPrimitives version, true the fused kernel.</summary>
    [Params(false, true)]
    public bool Fused { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(D);
        int length = PackedSymmetric.Length(D);
        _inverse = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        _gram = (float[])_inverse.Clone();
        _weights = new float[length];
        _x = ScorerFixture.UnitVector(random, D);
        _y = new float[D];
        PackedSymmetric.BuildQuadraticWeights(_x, _weights);
    }

    [Benchmark]
    public float QuadraticForm() => Fused
        ? PackedKernels.Dot(_inverse, _weights)
        : System.Numerics.Tensors.TensorPrimitives.Dot(_inverse, _weights);

    [Benchmark]
    public void Weights()
    {
        if (Fused)
        {
            PackedKernels.BuildQuadraticWeights(_x, _weights);
        }
        else
        {
            PackedSymmetric.BuildQuadraticWeights(_x, _weights);
        }
    }

    [Benchmark]
    public void MatrixVector()
    {
        if (Fused)
        {
            PackedKernels.MultiplyVector(_inverse, _x, _y);
        }
        else
        {
            PackedSymmetric.MultiplyVector(_inverse, _x, _y);
        }
    }

    [Benchmark]
    public void RankOneUpdates()
    {
        // Tiny coefficients keep the matrices bounded over millions of iterations.
        if (Fused)
        {
            PackedKernels.UpdateMatrices(_inverse, _gram, _x, _x, -1e-12f, 1f, 1f);
        }
        else
        {
            PackedSymmetric.AddScaledOuterProduct(_inverse, _x, -1e-12f);
            PackedSymmetric.AddScaledOuterProduct(_gram, _x, 1e-12f);
        }
    }
}

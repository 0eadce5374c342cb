using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

public class PackedSymmetricTests
{
    [Theory]
    [MemberData(nameof(TestVectors.Lengths), MemberType = typeof(TestVectors))]
    public void QuadraticForm_ViaPackedWeights_MatchesScalarDoubleLoop(int d)
    {
        var random = new Random(100 + d);
        double[] full = TestVectors.SymmetricPositiveDefinite(random, d);
        float[] x = TestVectors.Gaussian(random, d);
        var packed = new float[PackedSymmetric.Length(d)];
        PackedSymmetric.Pack(full, packed, d);
        var weights = new float[packed.Length];

        PackedSymmetric.BuildQuadraticWeights(x, weights);
        float actual = System.Numerics.Tensors.TensorPrimitives.Dot<float>(packed, weights);

        double expected = 0, magnitude = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double term = (float)full[(i * d) + j] * (double)x[i] * x[j];
                expected += term;
                magnitude += Math.Abs(term);
            }
        }

        // Single-precision sums of d² terms: tolerance scales with the sum of magnitudes.
        Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(1e-5 * (magnitude + 1));
    }

    [Theory]
    [MemberData(nameof(TestVectors.Lengths), MemberType = typeof(TestVectors))]
    public void MultiplyVector_MatchesScalarMatrixVectorProduct(int d)
    {
        var random = new Random(200 + d);
        double[] full = TestVectors.SymmetricPositiveDefinite(random, d);
        float[] x = TestVectors.Gaussian(random, d);
        var packed = new float[PackedSymmetric.Length(d)];
        PackedSymmetric.Pack(full, packed, d);
        var actual = new float[d];
        actual.AsSpan().Fill(float.NaN);

        PackedSymmetric.MultiplyVector(packed, x, actual);

        var expected = new float[d];
        for (int i = 0; i < d; i++)
        {
            double sum = 0;
            for (int j = 0; j < d; j++)
            {
                sum += (float)full[(i * d) + j] * (double)x[j];
            }

            expected[i] = (float)sum;
        }

        TestVectors.ShouldBeClose(actual, expected, 1e-5, 1e-4 * Math.Sqrt(d + 1), "Px");
    }

    [Theory]
    [MemberData(nameof(TestVectors.Lengths), MemberType = typeof(TestVectors))]
    public void AddScaledOuterProduct_MatchesScalarUpdateOfUpperTriangle(int d)
    {
        var random = new Random(300 + d);
        double[] full = TestVectors.SymmetricPositiveDefinite(random, d);
        float[] u = TestVectors.Gaussian(random, d);
        var packed = new float[PackedSymmetric.Length(d)];
        PackedSymmetric.Pack(full, packed, d);

        PackedSymmetric.AddScaledOuterProduct(packed, u, -0.37f);

        var expected = new float[packed.Length];
        int offset = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                expected[offset + j - i] = (float)full[(i * d) + j] + (-0.37f * u[i] * u[j]);
            }

            offset += d - i;
        }

        TestVectors.ShouldBeClose(packed, expected, 1e-6, 1e-6, "P + c·uuᵀ");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(17)]
    public void PackThenUnpack_RestoresSymmetricMatrix(int d)
    {
        var random = new Random(d);
        double[] full = TestVectors.SymmetricPositiveDefinite(random, d);
        var packed = new float[PackedSymmetric.Length(d)];
        var back = new double[d * d];

        PackedSymmetric.Pack(full, packed, d);
        PackedSymmetric.Unpack(packed, back, d);

        for (int i = 0; i < full.Length; i++)
        {
            back[i].Should().Be((float)full[i]);
        }
    }

    [Fact]
    public void RowOffset_AndLength_DescribeContiguousRows()
    {
        int d = 7;
        int expected = 0;
        for (int i = 0; i < d; i++)
        {
            PackedSymmetric.RowOffset(d, i).Should().Be(expected);
            expected += d - i;
        }

        PackedSymmetric.Length(d).Should().Be(expected).And.Be(28);
    }
}

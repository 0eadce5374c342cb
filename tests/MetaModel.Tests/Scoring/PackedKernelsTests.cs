using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

/// <summary>The hand-written kernels against plain double-precision loops, at every vector-width boundary.</summary>
public class PackedKernelsTests
{
    public static TheoryData<int> DotLengths()
    {
        // The kernel switches to its unrolled loop at 32 elements; packed lengths of d = 63, 64, 65 follow.
        var data = TestVectors.Lengths();
        foreach (int length in new[] { 95, 96, 97, 127, 128, 129, 2016, 2080, 2145 })
        {
            data.Add(length);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DotLengths))]
    public void Dot_MatchesScalarDoubleSum(int length)
    {
        var random = new Random(length);
        float[] a = TestVectors.Gaussian(random, length);
        float[] b = TestVectors.Gaussian(random, length);
        double expected = 0, magnitude = 0;
        for (int i = 0; i < length; i++)
        {
            expected += (double)a[i] * b[i];
            magnitude += Math.Abs((double)a[i] * b[i]);
        }

        float actual = PackedKernels.Dot(a, b);

        Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(1e-6 * (magnitude + 1));
    }

    [Theory]
    [MemberData(nameof(TestVectors.Lengths), MemberType = typeof(TestVectors))]
    public void BuildQuadraticWeights_MatchesLibraryKernel(int d)
    {
        float[] x = TestVectors.Gaussian(new Random(d), d);
        var expected = new float[PackedSymmetric.Length(d)];
        var actual = new float[expected.Length];

        PackedSymmetric.BuildQuadraticWeights(x, expected);
        PackedKernels.BuildQuadraticWeights(x, actual);

        actual.Should().Equal(expected);
    }

    [Theory]
    [MemberData(nameof(TestVectors.Lengths), MemberType = typeof(TestVectors))]
    public void MultiplyVector_MatchesScalarDoubleLoop(int d)
    {
        var random = new Random(400 + d);
        double[] full = TestVectors.SymmetricPositiveDefinite(random, d);
        float[] x = TestVectors.Gaussian(random, d);
        var packed = new float[PackedSymmetric.Length(d)];
        PackedSymmetric.Pack(full, packed, d);
        var actual = new float[d];
        actual.AsSpan().Fill(float.NaN);

        PackedKernels.MultiplyVector(packed, x, actual);

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
    public void UpdateMatrices_MatchesScalarFormula(int d)
    {
        var random = new Random(500 + d);
        double[] full = TestVectors.SymmetricPositiveDefinite(random, d);
        float[] u = TestVectors.Gaussian(random, d);
        float[] x = TestVectors.Gaussian(random, d);
        var inverse = new float[PackedSymmetric.Length(d)];
        var gram = new float[inverse.Length];
        PackedSymmetric.Pack(full, inverse, d);
        PackedSymmetric.Pack(full, gram, d);
        const float C = -0.3f, S = 1.25f, G = 0.8f;

        PackedKernels.UpdateMatrices(inverse, gram, u, x, C, S, G);

        var expectedInverse = new float[inverse.Length];
        var expectedGram = new float[inverse.Length];
        int offset = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double p = full[(i * d) + j];
                expectedInverse[offset + j - i] = (float)((p + (C * (double)u[i] * u[j])) * S);
                expectedGram[offset + j - i] = (float)((G * p) + ((double)x[i] * x[j]));
            }

            offset += d - i;
        }

        TestVectors.ShouldBeClose(inverse, expectedInverse, 1e-5, 1e-5, "P");
        TestVectors.ShouldBeClose(gram, expectedGram, 1e-5, 1e-5, "A");
    }
}

using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

/// <summary>The hand-written dot product against a plain double-precision loop, at every vector-width boundary.</summary>
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
}

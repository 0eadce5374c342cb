using System.Runtime.Intrinsics;
using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

/// <summary>
/// The blocked layout and its kernels, at every vector width and as plain loops, against plain double-precision loops at every
/// vector-width boundary (rows of 1 … 9 blocks, full and partial last blocks).
/// </summary>
public class BlockedKernelsTests
{
    /// <summary>
    /// The kernel this machine dispatches to, each vector width forced (the 128-bit pairs are what Arm64 runs; on x64
    /// without AVX a width runs in software, slowly but with the same results), and the plain loops.
    /// </summary>
    private static readonly string[] s_variants = ["vectorized", "256-bit", "128-bit pairs", "scalar"];

    [Theory]
    [MemberData(nameof(TestVectors.Lengths), MemberType = typeof(TestVectors))]
    public void Layout_RoundTripsThePackedTriangle_AndMirrorsTheDiagonalBlock(int d)
    {
        float[] packed = TestVectors.Gaussian(new Random(d), PackedSymmetric.Length(d));
        var blocked = new float[BlockedSymmetric.Length(d)];
        blocked.AsSpan().Fill(float.NaN);

        BlockedSymmetric.FromPacked(packed, blocked, d);
        var back = new float[packed.Length];
        BlockedSymmetric.ToPacked(blocked, back, d);

        back.Should().Equal(packed);
        int padded = BlockedSymmetric.PaddedDimension(d);
        (padded % BlockedSymmetric.Block).Should().Be(0);
        (padded - d).Should().BeInRange(0, BlockedSymmetric.Block - 1);
        var seen = new HashSet<int>();
        for (int i = 0; i < padded; i++)
        {
            int start = BlockedSymmetric.RowStart(i);
            for (int j = start; j < padded; j++)
            {
                int index = BlockedSymmetric.Index(d, i, j);
                seen.Add(index).Should().BeTrue($"({i}, {j}) has an index of its own");
                float expected = i < d && j < d ? Full(packed, d, i, j) : 0f;
                blocked[index].Should().Be(expected, $"element ({i}, {j})");
            }
        }

        // Every stored element is reached exactly once, and every tile starts on a whole 8×8 boundary.
        seen.Count.Should().Be(blocked.Length);
        BlockedSymmetric.BlockOffset(d, padded / BlockedSymmetric.Block).Should().Be(blocked.Length);
        for (int b = 0; b <= padded / BlockedSymmetric.Block; b++)
        {
            (BlockedSymmetric.BlockOffset(d, b) % (BlockedSymmetric.Block * BlockedSymmetric.Block)).Should().Be(0);
        }
    }

    [Theory]
    [MemberData(nameof(TestVectors.Lengths), MemberType = typeof(TestVectors))]
    public void SetScaledIdentity_AndAddToDiagonal_TouchOnlyTheDiagonal(int d)
    {
        var blocked = new float[BlockedSymmetric.Length(d)];
        blocked.AsSpan().Fill(float.NaN);

        BlockedSymmetric.SetScaledIdentity(blocked, d, 2f);
        BlockedSymmetric.AddToDiagonal(blocked, d, 0.5f);

        var packed = new float[PackedSymmetric.Length(d)];
        var expected = new float[packed.Length];
        PackedSymmetric.SetScaledIdentity(expected, d, 2.5f);
        BlockedSymmetric.ToPacked(blocked, packed, d);
        packed.Should().Equal(expected);
        blocked.Sum().Should().Be(2.5f * d);
    }

    [Theory]
    [MemberData(nameof(TestVectors.Lengths), MemberType = typeof(TestVectors))]
    public void QuadraticForm_MatchesScalarDoubleLoop(int d)
    {
        var random = new Random(600 + d);
        float[] blocked = RandomSymmetric(random, d, out double[] full);
        float[] x = Padded(TestVectors.Gaussian(random, d));
        double expected = 0, magnitude = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double term = x[i] * full[(i * d) + j] * x[j];
                expected += term;
                magnitude += Math.Abs(term);
            }
        }

        double tolerance = 1e-5 * (magnitude + 1);

        ((double)PackedKernels.QuadraticForm(blocked, x, d)).Should().BeApproximately(expected, tolerance);
        ((double)PackedKernels.QuadraticForm<Vector256<float>, Octet256>(blocked, x, d))
            .Should().BeApproximately(expected, tolerance);
        ((double)PackedKernels.QuadraticForm<Octet128Pair, Octet128Pair>(blocked, x, d))
            .Should().BeApproximately(expected, tolerance);
        ((double)PackedKernels.ScalarQuadraticForm(blocked, x, d)).Should().BeApproximately(expected, tolerance);
    }

    [Theory]
    [MemberData(nameof(TestVectors.Lengths), MemberType = typeof(TestVectors))]
    public void MultiplyVectorUpdateGram_MatchesScalarDoubleLoop(int d)
    {
        var random = new Random(700 + d);
        float[] inverse = RandomSymmetric(random, d, out double[] full);
        float[] gram = RandomSymmetric(random, d, out double[] fullGram);
        float[] x = Padded(TestVectors.Gaussian(random, d));
        const float G = 0.8f;
        int padded = x.Length;
        var expectedY = new float[padded];
        var expectedGram = new float[PackedSymmetric.Length(d)];
        int offset = 0;
        for (int i = 0; i < d; i++)
        {
            double sum = 0;
            for (int j = 0; j < d; j++)
            {
                sum += full[(i * d) + j] * x[j];
            }

            expectedY[i] = (float)sum;
            for (int j = i; j < d; j++)
            {
                expectedGram[offset + j - i] = (float)((G * fullGram[(i * d) + j]) + ((double)x[i] * x[j]));
            }

            offset += d - i;
        }

        foreach (string variant in s_variants)
        {
            float[] a = (float[])gram.Clone();
            var y = new float[padded];
            y.AsSpan().Fill(float.NaN);
            switch (variant)
            {
                case "vectorized":
                    PackedKernels.MultiplyVectorUpdateGram(inverse, a, x, y, G, d);
                    break;
                case "256-bit":
                    PackedKernels.MultiplyVectorUpdateGram<Vector256<float>, Octet256>(inverse, a, x, y, G, d);
                    break;
                case "128-bit pairs":
                    PackedKernels.MultiplyVectorUpdateGram<Octet128Pair, Octet128Pair>(inverse, a, x, y, G, d);
                    break;
                default:
                    PackedKernels.ScalarMultiplyVectorUpdateGram(inverse, a, x, y, G, d);
                    break;
            }

            TestVectors.ShouldBeClose(y, expectedY, 1e-5, 1e-4 * Math.Sqrt(d + 1), $"Px, {variant}");
            var packedGram = new float[expectedGram.Length];
            BlockedSymmetric.ToPacked(a, packedGram, d);
            TestVectors.ShouldBeClose(packedGram, expectedGram, 1e-5, 1e-5, $"A, {variant}");
            ShouldBeMirroredAndPadded(a, d);
        }
    }

    [Theory]
    [MemberData(nameof(TestVectors.Lengths), MemberType = typeof(TestVectors))]
    public void AddScaledOuterProduct_MatchesScalarFormula_AndKeepsTheMirrorExact(int d)
    {
        var random = new Random(800 + d);
        float[] inverse = RandomSymmetric(random, d, out double[] full);
        float[] u = Padded(TestVectors.Gaussian(random, d));
        const float C = -0.3f, S = 1.25f;
        var expected = new float[PackedSymmetric.Length(d)];
        int offset = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                expected[offset + j - i] = (float)((full[(i * d) + j] + (C * (double)u[i] * u[j])) * S);
            }

            offset += d - i;
        }

        foreach (string variant in s_variants)
        {
            float[] p = (float[])inverse.Clone();
            switch (variant)
            {
                case "vectorized":
                    PackedKernels.AddScaledOuterProduct(p, u, C, S, d);
                    break;
                case "256-bit":
                    PackedKernels.AddScaledOuterProduct<Vector256<float>, Octet256>(p, u, C, S, d);
                    break;
                case "128-bit pairs":
                    PackedKernels.AddScaledOuterProduct<Octet128Pair, Octet128Pair>(p, u, C, S, d);
                    break;
                default:
                    PackedKernels.ScalarAddScaledOuterProduct(p, u, C, S, d);
                    break;
            }

            var packed = new float[expected.Length];
            BlockedSymmetric.ToPacked(p, packed, d);
            TestVectors.ShouldBeClose(packed, expected, 1e-5, 1e-5, $"P, {variant}");
            ShouldBeMirroredAndPadded(p, d);
        }
    }

    private static float Full(float[] packed, int d, int i, int j) =>
        i <= j ? packed[PackedSymmetric.RowOffset(d, i) + j - i] : packed[PackedSymmetric.RowOffset(d, j) + i - j];

    private static float[] RandomSymmetric(Random random, int d, out double[] full)
    {
        full = TestVectors.SymmetricPositiveDefinite(random, d);
        for (int i = 0; i < full.Length; i++)
        {
            full[i] = (float)full[i];
        }

        var packed = new float[PackedSymmetric.Length(d)];
        PackedSymmetric.Pack(full, packed, d);
        var blocked = new float[BlockedSymmetric.Length(d)];
        BlockedSymmetric.FromPacked(packed, blocked, d);
        return blocked;
    }

    private static float[] Padded(float[] x)
    {
        var result = new float[BlockedSymmetric.PaddedDimension(x.Length)];
        x.CopyTo(result, 0);
        return result;
    }

    private static void ShouldBeMirroredAndPadded(float[] blocked, int d)
    {
        int padded = BlockedSymmetric.PaddedDimension(d);
        for (int i = 0; i < padded; i++)
        {
            int start = BlockedSymmetric.RowStart(i);
            for (int j = start; j < padded; j++)
            {
                float value = blocked[BlockedSymmetric.Index(d, i, j)];
                if (i >= d || j >= d)
                {
                    value.Should().Be(0f, $"padding ({i}, {j})");
                }
                else if (j < start + BlockedSymmetric.Block)
                {
                    value.Should().Be(blocked[BlockedSymmetric.Index(d, j, i)], $"mirror of ({i}, {j})");
                }
            }
        }
    }
}

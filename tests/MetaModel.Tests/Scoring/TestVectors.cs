namespace MetaModel.Tests.Scoring;

/// <summary>Seeded test data shared by the scoring tests.</summary>
internal static class TestVectors
{
    /// <summary>
    /// Lengths 0 and 1 and lengths just below, at and above the 128-, 256- and 512-bit vector widths of float
    /// (4, 8, 16 elements) and their next multiples.
    /// </summary>
    public static readonly int[] KernelLengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65];

    /// <summary>Scorer dimensions: as <see cref="KernelLengths"/> without 0, which a scorer refuses.</summary>
    public static TheoryData<int> ScorerDimensions()
    {
        var data = new TheoryData<int>();
        foreach (int length in KernelLengths)
        {
            if (length > 0)
            {
                data.Add(length);
            }
        }

        return data;
    }

    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        foreach (int length in KernelLengths)
        {
            data.Add(length);
        }

        return data;
    }

    /// <summary>Returns a vector of standard-normal-ish values (sum of uniforms), deterministic for a seed.</summary>
    public static float[] Gaussian(Random random, int length, float scale = 1f)
    {
        var result = new float[length];
        for (int i = 0; i < length; i++)
        {
            result[i] = (float)((random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2.0) * scale;
        }

        return result;
    }

    /// <summary>Returns a random vector of unit Euclidean norm (or the zero vector when length is 0).</summary>
    public static float[] Unit(Random random, int length)
    {
        float[] v = Gaussian(random, length);
        double norm = 0;
        foreach (float value in v)
        {
            norm += value * value;
        }

        norm = Math.Sqrt(norm);
        for (int i = 0; i < length && norm > 0; i++)
        {
            v[i] = (float)(v[i] / norm);
        }

        return v;
    }

    /// <summary>Returns a random symmetric positive-definite matrix, full row-major, as doubles.</summary>
    public static double[] SymmetricPositiveDefinite(Random random, int n)
    {
        var m = new double[n * n];
        for (int s = 0; s < n + 2; s++)
        {
            float[] v = Gaussian(random, n);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    m[(i * n) + j] += v[i] * v[j];
                }
            }
        }

        for (int i = 0; i < n; i++)
        {
            m[(i * n) + i] += 1;
        }

        return m;
    }

    /// <summary>Asserts |actual − expected| ≤ absolute + relative·|expected| element by element.</summary>
    public static void ShouldBeClose(
        ReadOnlySpan<float> actual,
        ReadOnlySpan<float> expected,
        double relative,
        double absolute,
        string what)
    {
        actual.Length.Should().Be(expected.Length, what);
        for (int i = 0; i < actual.Length; i++)
        {
            double tolerance = absolute + (relative * Math.Abs(expected[i]));
            ((double)Math.Abs(actual[i] - expected[i])).Should().BeLessThanOrEqualTo(
                tolerance,
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }
}

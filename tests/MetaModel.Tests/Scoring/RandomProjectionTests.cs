using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

public class RandomProjectionTests
{
    [Fact]
    public void SameSeedAndShape_GiveIdenticalMatrices_DifferentSeedsDiffer()
    {
        var a = new RandomProjection(33, 9, seed: 42);
        var b = new RandomProjection(33, 9, seed: 42);
        var c = new RandomProjection(33, 9, seed: 43);

        bool anyDifferent = false;
        for (int row = 0; row < 9; row++)
        {
            for (int column = 0; column < 33; column++)
            {
                a[row, column].Should().Be(b[row, column]);
                anyDifferent |= a[row, column] != c[row, column];
            }
        }

        anyDifferent.Should().BeTrue();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(17, 7)]
    [InlineData(17, 8)]
    [InlineData(17, 9)]
    [InlineData(65, 16)]
    [InlineData(65, 17)]
    [InlineData(100, 63)]
    [InlineData(384, 64)]
    [InlineData(384, 65)]
    [InlineData(40, 129)]
    public void Project_MatchesScalarMatrixVectorProduct(int input, int output)
    {
        var projection = new RandomProjection(input, output, seed: 7);
        float[] x = TestVectors.Gaussian(new Random(input), input);
        var actual = new float[output];
        actual.AsSpan().Fill(float.NaN);

        projection.Project(x, actual);

        var expected = new float[output];
        for (int i = 0; i < output; i++)
        {
            double sum = 0;
            for (int j = 0; j < input; j++)
            {
                sum += projection[i, j] * (double)x[j];
            }

            expected[i] = (float)sum;
        }

        TestVectors.ShouldBeClose(actual, expected, 1e-5, 1e-5 * Math.Sqrt(input), "Rx");
    }

    [Fact]
    public void Project_PreservesSquaredNormInExpectation()
    {
        var random = new Random(5);
        double ratio = 0;
        const int Trials = 60;
        for (int t = 0; t < Trials; t++)
        {
            var projection = new RandomProjection(128, 32, seed: t);
            float[] x = TestVectors.Unit(random, 128);
            var y = new float[32];
            projection.Project(x, y);
            ratio += System.Numerics.Tensors.TensorPrimitives.SumOfSquares<float>(y);
        }

        // E‖Rx‖² = 1 for a unit x; ‖Rx‖² is χ²₃₂/32 (sd 0.25), so the mean of 60 has a standard error of 0.032.
        (ratio / Trials).Should().BeApproximately(1.0, 0.13);
    }
}

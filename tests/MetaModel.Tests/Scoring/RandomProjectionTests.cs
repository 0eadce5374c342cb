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

        for (int row = 0; row < 9; row++)
        {
            a.Row(row).SequenceEqual(b.Row(row)).Should().BeTrue();
        }

        a.Row(0).SequenceEqual(c.Row(0)).Should().BeFalse();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(17, 8)]
    [InlineData(65, 16)]
    [InlineData(384, 64)]
    public void Project_MatchesScalarMatrixVectorProduct(int input, int output)
    {
        var projection = new RandomProjection(input, output, seed: 7);
        float[] x = TestVectors.Gaussian(new Random(input), input);
        var actual = new float[output];

        projection.Project(x, actual);

        var expected = new float[output];
        for (int i = 0; i < output; i++)
        {
            double sum = 0;
            ReadOnlySpan<float> row = projection.Row(i);
            for (int j = 0; j < input; j++)
            {
                sum += row[j] * (double)x[j];
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
        const int Trials = 200;
        for (int t = 0; t < Trials; t++)
        {
            var projection = new RandomProjection(384, 64, seed: t);
            float[] x = TestVectors.Unit(random, 384);
            var y = new float[64];
            projection.Project(x, y);
            ratio += System.Numerics.Tensors.TensorPrimitives.SumOfSquares<float>(y);
        }

        // E‖Rx‖² = 1 for a unit x; the mean of 200 draws has a standard error of about 0.013.
        (ratio / Trials).Should().BeApproximately(1.0, 0.06);
    }
}

using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

public class SymmetricInverseTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(33)]
    public void TryInvertInPlace_ProductWithOriginalIsIdentity(int n)
    {
        double[] original = TestVectors.SymmetricPositiveDefinite(new Random(n), n);
        double[] inverse = (double[])original.Clone();

        SymmetricInverse.TryInvertInPlace(inverse, n).Should().BeTrue();

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++)
                {
                    sum += original[(i * n) + k] * inverse[(k * n) + j];
                }

                sum.Should().BeApproximately(i == j ? 1 : 0, 1e-9);
            }
        }
    }

    [Fact]
    public void TryInvertInPlace_NotPositiveDefinite_ReturnsFalse()
    {
        double[] singular = [1, 1, 1, 1];
        double[] indefinite = [-1, 0, 0, 1];

        SymmetricInverse.TryInvertInPlace(singular, 2).Should().BeFalse();
        SymmetricInverse.TryInvertInPlace(indefinite, 2).Should().BeFalse();
    }

    [Fact]
    public void TryInvertPacked_NotPositiveDefinite_LeavesDestinationUntouched()
    {
        float[] packed = [-1, 0, 1];
        float[] destination = [7, 7, 7];

        SymmetricInverse.TryInvertPacked(packed, destination, 2).Should().BeFalse();

        destination.Should().Equal(7, 7, 7);
    }
}

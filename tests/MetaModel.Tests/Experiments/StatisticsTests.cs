using MetaModel.Experiments.Statistics;

namespace MetaModel.Tests.Experiments;

/// <summary>The distribution functions against published table values, to the stated tolerances.</summary>
public sealed class StatisticsTests
{
    [Theory]
    [InlineData(5, 3.1780538303479458)]
    [InlineData(0.5, 0.57236494292470008)]
    [InlineData(1, 0)]
    [InlineData(10.5, 13.940625219403763)]
    public void LogGamma_MatchesKnownValues(double x, double expected) =>
        SpecialFunctions.LogGamma(x).Should().BeApproximately(expected, 1e-12);

    [Theory]
    [InlineData(2, 3, 0.5, 0.6875)]
    [InlineData(1, 1, 0.3, 0.3)]
    [InlineData(0.5, 0.5, 0.5, 0.5)]
    [InlineData(5, 0.5, 0, 0)]
    [InlineData(5, 0.5, 1, 1)]
    public void IncompleteBeta_MatchesClosedForms(double a, double b, double x, double expected) =>
        SpecialFunctions.RegularizedIncompleteBeta(a, b, x).Should().BeApproximately(expected, 1e-12);

    [Theory]
    [InlineData(1.96, 0.9750021048517795)]
    [InlineData(-1, 0.15865525393145707)]
    [InlineData(0, 0.5)]
    [InlineData(3.5, 0.99976737092096446)]
    public void NormalCdf_MatchesTables(double z, double expected) =>
        Distributions.NormalCdf(z).Should().BeApproximately(expected, 2e-7);

    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.8, 0.8416212335729143)]
    [InlineData(0.5, 0)]
    public void NormalQuantile_InvertsTheCdf(double p, double expected) =>
        Distributions.NormalQuantile(p).Should().BeApproximately(expected, 1e-6);

    [Theory]
    [InlineData(0.975, 10, 2.2281388519649385)]
    [InlineData(0.975, 1, 12.706204736174698)]
    [InlineData(0.975, 30, 2.0422724563012378)]
    [InlineData(0.995, 5, 4.0321429835552278)]
    [InlineData(0.025, 10, -2.2281388519649385)]
    public void StudentQuantile_MatchesTables(double p, double df, double expected) =>
        Distributions.StudentQuantile(p, df).Should().BeApproximately(expected, 1e-8);

    [Theory]
    [InlineData(2.0, 10, 0.073388034770741)]
    [InlineData(0, 7, 1)]
    [InlineData(-2.0, 10, 0.073388034770741)]
    [InlineData(12.706204736174698, 1, 0.05)]
    public void StudentTwoSidedP_MatchesTables(double t, double df, double expected) =>
        Distributions.StudentTwoSidedP(t, df).Should().BeApproximately(expected, 1e-9);

    [Fact]
    public void RunningMoments_MatchTwoPassFormulas()
    {
        var random = new Random(7);
        double[] values = [.. Enumerable.Range(0, 1001).Select(_ => 1e6 + random.NextDouble())];
        var moments = new RunningMoments();
        foreach (double value in values)
        {
            moments.Add(value);
        }

        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        moments.Count.Should().Be(1001);
        moments.Mean.Should().BeApproximately(mean, 1e-9);
        moments.Variance.Should().BeApproximately(variance, 1e-9, "Welford stays accurate around a large offset");
        new RunningMoments().Mean.Should().Be(double.NaN);
    }

    [Fact]
    public void Welch_TextbookExample_GivesTDfAndP()
    {
        // Two samples of 15 with unequal variances; t ≈ 2.46, df ≈ 24.99, p ≈ 0.021.
        double[] a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
        double[] b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];

        var (difference, low, high, t, df, p) = MeanComparison.Welch(Moments(a), Moments(b), 0.05);

        difference.Should().BeApproximately(2.1666666666666667, 1e-12);
        t.Should().BeApproximately(2.455356398286006, 1e-9);
        df.Should().BeApproximately(24.98852929023142, 1e-9);
        p.Should().BeApproximately(0.0214, 0.0005);
        low.Should().BeGreaterThan(0).And.BeLessThan(difference);
        high.Should().BeApproximately(2 * difference - low, 1e-9);
    }

    [Fact]
    public void Welch_FewerThanTwoValues_IsNaN()
    {
        var (_, _, _, t, _, p) = MeanComparison.Welch(Moments([1.0]), Moments([1.0, 2.0]), 0.05);

        t.Should().Be(double.NaN);
        p.Should().Be(double.NaN);
    }

    [Fact]
    public void MixtureRatio_GrowsWithTheDifference()
    {
        double same = MeanComparison.MixtureLikelihoodRatio(Moments([0, 1, 0, 1, 0, 1]), Moments([1, 0, 1, 0, 1, 0]), 0.1);
        double apart = MeanComparison.MixtureLikelihoodRatio(Moments([0, 0, 0, 1, 0, 0]), Moments([1, 1, 1, 0, 1, 1]), 0.1);

        same.Should().BeLessThan(1, "no difference favours the null");
        apart.Should().BeGreaterThan(same);
    }

    [Fact]
    public void TwoProportion_EqualRates_PIsOne_DifferentRates_PIsSmall()
    {
        MeanComparison.TwoProportionP(10, 100, 10, 100).Should().BeApproximately(1, 1e-6);
        MeanComparison.TwoProportionP(5, 1000, 50, 1000).Should().BeLessThan(1e-6);
        MeanComparison.TwoProportionP(0, 100, 0, 100).Should().Be(1);
    }

    private static RunningMoments Moments(IEnumerable<double> values)
    {
        var moments = new RunningMoments();
        foreach (double value in values)
        {
            moments.Add(value);
        }

        return moments;
    }
}

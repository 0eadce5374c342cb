using MetaModel.Experiments;

namespace MetaModel.Tests.Experiments;

public sealed class ExperimentBucketingTests
{
    [Theory]
    [InlineData("exp-1", "user-1", 0.9785093523990449)]
    [InlineData("exp-1", "user-2", 0.6221153898680388)]
    [InlineData("checkout", "ü-ß-日本", 0.3271881173062926)]
    public void Bucket_IsTheDocumentedFunction_SoAssignmentsSurviveRestarts(string experiment, string key, double expected)
    {
        // Expected values computed outside .NET from the formula in the remarks (FNV-1a 64 over UTF-16LE, SplitMix64).
        ExperimentBucketing.Bucket(experiment, key).Should().Be(expected);
    }

    [Fact]
    public void Bucket_SeparatorKeepsSplitsOfTheSameTextApart()
    {
        ExperimentBucketing.Bucket("ab", "c").Should().NotBe(ExperimentBucketing.Bucket("a", "bc"));
    }

    [Fact]
    public void Bucket_SequentialKeys_AreUniformOverTenBins()
    {
        // Chi-square with 9 degrees of freedom: 21.67 is its 99th percentile.
        const int Keys = 20_000;
        var bins = new int[10];
        for (int i = 0; i < Keys; i++)
        {
            bins[(int)(ExperimentBucketing.Bucket("uniformity", "user-" + i) * 10)]++;
        }

        double expected = Keys / 10.0;
        double chiSquare = bins.Sum(b => (b - expected) * (b - expected) / expected);
        chiSquare.Should().BeLessThan(21.67);
    }

    [Fact]
    public void Bucket_TwoExperiments_AssignIndependently()
    {
        // Users in the lower half of one experiment land in either half of another about equally often.
        int both = 0;
        int first = 0;
        for (int i = 0; i < 10_000; i++)
        {
            bool lowInA = ExperimentBucketing.Bucket("a", "u" + i) < 0.5;
            bool lowInB = ExperimentBucketing.Bucket("b", "u" + i) < 0.5;
            first += lowInA ? 1 : 0;
            both += lowInA && lowInB ? 1 : 0;
        }

        ((double)both / first).Should().BeApproximately(0.5, 0.03);
    }
}

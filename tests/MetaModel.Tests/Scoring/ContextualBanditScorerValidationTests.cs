using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

/// <summary>Bad input is refused with an <see cref="ArgumentException"/> that names the problem, and changes nothing.</summary>
public class ContextualBanditScorerValidationTests
{
    private readonly ContextualBanditScorer _scorer =
        ContextualBanditScorerTests.Trained(new() { Dimension = 4 }, seed: 1);

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Update_NonFiniteFeature_ThrowsNamingTheElement_StateUnchanged(float bad)
    {
        byte[] before = Snapshot(_scorer);

        Action act = () => _scorer.Update(0, [0.5f, 0.5f, bad, 0.1f], 1.0);

        act.Should().Throw<ArgumentException>()
            .WithParameterName("features")
            .WithMessage("*finite*element 2*");
        Snapshot(_scorer).Should().Equal(before);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Update_NonFiniteReward_Throws_StateUnchanged(double reward)
    {
        byte[] before = Snapshot(_scorer);

        Action act = () => _scorer.Update(1, [0.5f, 0.5f, 0.1f, 0.1f], reward);

        act.Should().Throw<ArgumentException>().WithParameterName(nameof(reward)).WithMessage("*reward must be a finite*");
        Snapshot(_scorer).Should().Equal(before);
    }

    [Theory]
    [InlineData(1e20f)]
    [InlineData(-3e19f)]
    [InlineData(2e6f)]
    public void Update_FeatureTooLargeForSinglePrecision_ThrowsNamingTheElement_ArmStaysUsable(float huge)
    {
        // 10²⁰ squared overflows a float: before the check, one such update turned the arm's inverse into NaN for good.
        byte[] before = Snapshot(_scorer);

        Action act = () => _scorer.Update(0, [0.5f, huge, 0.1f, 0.1f], 1.0);

        act.Should().Throw<ArgumentException>().WithParameterName("features").WithMessage("*within ±1E+6*element 1*");
        Snapshot(_scorer).Should().Equal(before);
        float[] scores = new float[_scorer.ArmCount];
        _scorer.Score([0.5f, 0.5f, 0.1f, 0.1f], scores);
        scores.Should().OnlyContain(s => float.IsFinite(s));
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(-2e6)]
    public void Update_RewardTooLargeForSinglePrecision_Throws_StateUnchanged(double reward)
    {
        byte[] before = Snapshot(_scorer);

        Action act = () => _scorer.Update(1, [0.5f, 0.5f, 0.1f, 0.1f], reward);

        act.Should().Throw<ArgumentException>().WithParameterName(nameof(reward)).WithMessage("*within ±1E+6*");
        Snapshot(_scorer).Should().Equal(before);
    }

    [Fact]
    public void ScoreAndFit_FeatureOrRewardTooLarge_Throw_NothingChanged()
    {
        byte[] before = Snapshot(_scorer);
        float[] scores = [7, 7, 7];
        BanditObservation[] hugeFeatures = [new(new float[] { 1, 3e19f, 0, 0 }, "a", 1)];
        BanditObservation[] hugeReward = [new(new float[] { 1, 0, 0, 0 }, "a", 1e300)];

        ((Action)(() => _scorer.Score([1, 1e30f, 0, 0], scores))).Should().Throw<ArgumentException>()
            .WithParameterName("features").WithMessage("*element 1*");
        ((Action)(() => _scorer.Fit(hugeFeatures))).Should().Throw<ArgumentException>()
            .WithMessage("Observation 0 has an invalid feature vector*within ±1E+6*");
        ((Action)(() => _scorer.Fit(hugeReward))).Should().Throw<ArgumentException>()
            .WithMessage("Observation 0 has a reward of 1E+300*");
        scores.Should().Equal(7, 7, 7);
        Snapshot(_scorer).Should().Equal(before);
    }

    [Fact]
    public void Update_WrongDimension_ThrowsStatingBothLengths()
    {
        Action act = () => _scorer.Update(0, new float[5], 1);

        act.Should().Throw<ArgumentException>().WithParameterName("features").WithMessage("*has 5 elements*expects 4*");
    }

    [Fact]
    public void Update_UnknownArmId_ThrowsNamingTheId_StateUnchanged()
    {
        byte[] before = Snapshot(_scorer);

        Action act = () => _scorer.Update("nope", new float[4], 1);

        act.Should().Throw<ArgumentException>().WithParameterName("armId").WithMessage("*Unknown arm id 'nope'*");
        Snapshot(_scorer).Should().Equal(before);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void Update_ArmIndexOutOfRange_Throws(int arm)
    {
        Action act = () => _scorer.Update(arm, new float[4], 1);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(arm));
    }

    [Fact]
    public void Score_NonFiniteFeature_Throws_ScoresUntouched()
    {
        float[] scores = [7, 7, 7];

        Action act = () => _scorer.Score([float.NaN, 0, 0, 0], scores);

        act.Should().Throw<ArgumentException>().WithParameterName("features").WithMessage("*element 0 is NaN*");
        scores.Should().Equal(7, 7, 7);
    }

    [Fact]
    public void Score_ArmIndexOutOfRange_ThrowsBeforeWritingAnything()
    {
        float[] scores = [7, 7, 7];

        Action act = () => _scorer.Score(new float[4], [0, 3], scores);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("arms").WithMessage("*Arm index 3*3 arms*");
        scores.Should().Equal(7, 7, 7);
    }

    [Fact]
    public void Score_DestinationTooShort_Throws()
    {
        Action all = () => _scorer.Score(new float[4], new float[2]);
        Action subset = () => _scorer.Score(new float[4], [0, 1], new float[1]);
        Action widths = () => _scorer.Estimate(new float[4], [0, 1], new float[2], new float[1]);

        all.Should().Throw<ArgumentException>().WithParameterName("scores").WithMessage("*2 elements but 3 are required*");
        subset.Should().Throw<ArgumentException>().WithParameterName("scores");
        widths.Should().Throw<ArgumentException>().WithParameterName("widths");
    }

    [Fact]
    public void Fit_BadObservationAnywhere_ThrowsWithItsPosition_NothingChanged()
    {
        byte[] before = Snapshot(_scorer);
        BanditObservation[] history =
        [
            new(new float[] { 1, 0, 0, 0 }, "a", 1),
            new(new float[] { 0, 1, 0, 0 }, "b", 0),
            new(new float[] { 0, 0, 1, 0 }, "zz", 1),
        ];
        BanditObservation[] badReward = [new(new float[] { 1, 0, 0, 0 }, "a", double.NaN)];
        BanditObservation[] badFeatures = [new(new float[] { 1, 0, float.PositiveInfinity, 0 }, "a", 1)];

        ((Action)(() => _scorer.Fit(history))).Should().Throw<ArgumentException>()
            .WithParameterName("history").WithMessage("Observation 2 names unknown arm id 'zz'*");
        ((Action)(() => _scorer.Fit(badReward))).Should().Throw<ArgumentException>().WithMessage("*non-finite reward*");
        ((Action)(() => _scorer.Fit(badFeatures))).Should().Throw<ArgumentException>().WithMessage("*invalid feature vector*");
        Snapshot(_scorer).Should().Equal(before);
    }

    [Fact]
    public void Constructor_InvalidArmsOrOptions_ThrowNamingTheProblem()
    {
        ((Action)(() => _ = new ContextualBanditScorer([])))
            .Should().Throw<ArgumentException>().WithMessage("*At least one arm*");
        ((Action)(() => _ = new ContextualBanditScorer(["a", "a"])))
            .Should().Throw<ArgumentException>().WithMessage("*'a' appears more than once*");
        ((Action)(() => _ = new ContextualBanditScorer(["a", ""])))
            .Should().Throw<ArgumentException>().WithMessage("*non-empty*");
        ((Action)(() => _ = new ContextualBanditScorer(["a"], new() { Dimension = 0 })))
            .Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new ContextualBanditScorer(["a"], new() { RidgePrior = 0 })))
            .Should().Throw<ArgumentOutOfRangeException>();

        // A prior that single precision cannot hold with its inverse made every score NaN (1e-50) or froze the
        // exploration bonus at 0 (1e300).
        ((Action)(() => _ = new ContextualBanditScorer(["a"], new() { RidgePrior = 1e-50 })))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*from 1E-6 to 1E+6*");
        ((Action)(() => _ = new ContextualBanditScorer(["a"], new() { RidgePrior = 1e300 })))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*from 1E-6 to 1E+6*");
        ((Action)(() => _ = new ContextualBanditScorer(["a"], new() { Exploration = double.NaN })))
            .Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new ContextualBanditScorer(["a"], new() { ForgettingFactor = 0 })))
            .Should().Throw<ArgumentOutOfRangeException>();

        // A γ of 1e-30 scaled the inverse past the float range between two re-anchorings.
        ((Action)(() => _ = new ContextualBanditScorer(["a"], new() { ForgettingFactor = 1e-30 })))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*from 0.5 to 1*");
        ((Action)(() => _ = new ContextualBanditScorer(["a"], new() { ForgettingFactor = 0.5 }))).Should().NotThrow();
        ((Action)(() => _ = new ContextualBanditScorer(["a"], new() { ForgettingFactor = 1.01 })))
            .Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new ContextualBanditScorer(["a"], new() { Dimension = 8, ReducedDimension = 8 })))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    internal static byte[] Snapshot(ContextualBanditScorer scorer)
    {
        using var stream = new MemoryStream();
        scorer.SaveSnapshot(stream);
        return stream.ToArray();
    }
}

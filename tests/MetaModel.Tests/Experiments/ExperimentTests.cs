using MetaModel.Experiments;

namespace MetaModel.Tests.Experiments;

public sealed class ExperimentTests
{
    private static readonly DateTimeOffset s_start = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Constructor_FewerThanTwoArms_Throws()
    {
        Action create = () => _ = new Experiment("e", [ExperimentArm.ForCandidate("a", 1, "x")]);

        create.Should().Throw<ArgumentException>().WithMessage("*at least two arms*");
    }

    [Fact]
    public void Constructor_NullArm_ThrowsNamingTheIndex()
    {
        Action create = () => _ = new Experiment("e", [ExperimentArm.ForCandidate("a", 1, "x"), null!]);

        create.Should().Throw<ArgumentException>().WithMessage("*arm at index 1*null*");
    }

    [Fact]
    public void Constructor_DuplicateArmNames_Throws()
    {
        Action create = () =>
            _ = new Experiment("e", [ExperimentArm.ForCandidate("a", 1, "x"), ExperimentArm.ForCandidate("a", 1, "y")]);

        create.Should().Throw<ArgumentException>().WithMessage("*distinct names*");
    }

    [Fact]
    public void Constructor_EndBeforeStart_Throws()
    {
        Action create = () => _ = new Experiment("e", Arms(1, 1), s_start, s_start.AddHours(-1));

        create.Should().Throw<ArgumentException>().WithMessage("*ends*before it starts*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void ForCandidate_ShareNotPositive_Throws(double share)
    {
        Action create = () => ExperimentArm.ForCandidate("a", share, "x");

        create.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void IsActive_IsInclusiveAtStartAndExclusiveAtEnd()
    {
        var experiment = new Experiment("e", Arms(1, 1), s_start, s_start.AddDays(7));

        experiment.IsActive(s_start.AddTicks(-1)).Should().BeFalse();
        experiment.IsActive(s_start).Should().BeTrue();
        experiment.IsActive(s_start.AddDays(7).AddTicks(-1)).Should().BeTrue();
        experiment.IsActive(s_start.AddDays(7)).Should().BeFalse();
        new Experiment("open", Arms(1, 1)).IsActive(DateTimeOffset.MinValue).Should().BeTrue();
    }

    [Theory]
    [InlineData(1, 1, 0.5)]
    [InlineData(1, 4, 0.2)]
    [InlineData(9, 1, 0.9)]
    [InlineData(double.MaxValue, double.MaxValue, 0.5)]
    [InlineData(double.MaxValue, double.MaxValue / 4, 0.8)]
    public void Assign_SplitsUsersByShare(double controlShare, double treatmentShare, double expectedControl)
    {
        var experiment = new Experiment("split", Arms(controlShare, treatmentShare));

        double control = Enumerable.Range(0, 20_000).Count(i => experiment.Assign("user-" + i).Arm.Name == "control") / 20_000.0;

        control.Should().BeApproximately(expectedControl, 0.015);
    }

    [Fact]
    public void Assign_SameKey_SameArmEveryTime()
    {
        var experiment = new Experiment("sticky", Arms(1, 1));

        var arms = Enumerable.Range(0, 50).Select(_ => experiment.Assign("user-42").Arm.Name).Distinct();

        arms.Should().ContainSingle();
    }

    [Fact]
    public void Validate_NamesArmsWhoseCandidateIsMissing()
    {
        var experiment =
            new Experiment("v", [ExperimentArm.ForCandidate("a", 1, "x"), ExperimentArm.ForCandidate("b", 1, "ghost")]);

        experiment.Validate(["x", "y"]).Should().ContainSingle().Which.Should().Contain("'ghost'").And.Contain("arm 'b'");
    }

    private static ExperimentArm[] Arms(double control, double treatment) =>
        [ExperimentArm.ForCandidate("control", control, "x"), ExperimentArm.ForCandidate("treatment", treatment, "y")];
}

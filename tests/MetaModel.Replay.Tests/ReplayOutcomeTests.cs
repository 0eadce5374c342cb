namespace MetaModel.Replay.Tests;

public sealed class ReplayOutcomeTests
{
    [Fact]
    public void Constructor_KeepsItsValues()
    {
        var outcome = new ReplayOutcome(0.75, 0.5m, costIsEstimated: true, "text", inputTokens: 3, outputTokens: 4);

        outcome.Should().BeEquivalentTo(new
        {
            Score = 0.75,
            CostUsd = 0.5m,
            CostIsEstimated = true,
            Response = "text",
            InputTokens = 3,
            OutputTokens = 4,
        });
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Constructor_NonFiniteScore_Throws(double score)
    {
        var act = () => new ReplayOutcome(score, 0m);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(nameof(score));
    }

    [Fact]
    public void Constructor_NegativeCostOrTokens_Throws()
    {
        FluentActions.Invoking(() => new ReplayOutcome(1, -0.01m)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new ReplayOutcome(1, 0m, inputTokens: -1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new ReplayOutcome(1, 0m, outputTokens: -1)).Should().Throw<ArgumentOutOfRangeException>();
    }
}

namespace MetaModel.Replay.Tests;

public sealed class ReplayPromptTests
{
    [Fact]
    public void Constructor_IndexesOutcomesByModelId()
    {
        var outcome = new ReplayOutcome(1, 0.1m);

        var prompt = new ReplayPrompt("s", "t", "text", [new("m", outcome)]);

        prompt.Outcomes.Should().ContainKey("m").WhoseValue.Should().BeSameAs(outcome);
        prompt.Outcomes.Should().NotContainKey("M", "model ids are compared ordinally");
        prompt.ToString().Should().Be("s");
    }

    [Fact]
    public void Constructor_RepeatedModel_Throws()
    {
        var outcome = new ReplayOutcome(1, 0.1m);

        var act = () => new ReplayPrompt("s", "t", "text", [new("m", outcome), new("m", outcome)]);

        act.Should().Throw<ArgumentException>().WithMessage("*'m'*");
    }

    [Theory]
    [InlineData("", "t")]
    [InlineData(" ", "t")]
    [InlineData("s", "")]
    public void Constructor_EmptyIdOrTask_Throws(string sampleId, string task)
    {
        var act = () => new ReplayPrompt(sampleId, task, "text", []);

        act.Should().Throw<ArgumentException>();
    }
}

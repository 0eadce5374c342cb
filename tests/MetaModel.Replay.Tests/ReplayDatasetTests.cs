namespace MetaModel.Replay.Tests;

public sealed class ReplayDatasetTests
{
    [Fact]
    public void Constructor_ExposesItsInputs()
    {
        var dataset = CreateDataset(("a", 3), ("b", 2));

        dataset.Name.Should().Be("test");
        dataset.SourcePath.Should().Be("/data/test");
        dataset.Format.Should().Be(ReplayFormat.RouterBench);
        dataset.Models.Select(m => m.Id).Should().Equal("m1", "m2");
        dataset.Prompts.Select(p => p.SampleId).Should().Equal("a-0", "a-1", "a-2", "b-0", "b-1");
        dataset.ToString().Should().Contain("5 prompts").And.Contain("2 models");
    }

    [Fact]
    public void Constructor_RepeatedSampleId_Throws()
    {
        var prompt = CreatePrompt("s", "t", 1);

        var act = () => new ReplayDataset("x", "/x", ReplayFormat.RouterBench, Models(), [prompt, prompt]);

        act.Should().Throw<ArgumentException>().WithMessage("*'s'*");
    }

    [Fact]
    public void Constructor_RepeatedModelId_Throws()
    {
        var act = () => new ReplayDataset("x", "/x", ReplayFormat.RouterBench, [new("m1"), new("m1")], []);

        act.Should().Throw<ArgumentException>().WithMessage("*'m1'*");
    }

    [Fact]
    public void Constructor_OutcomeOfUnknownModel_Throws()
    {
        var prompt = new ReplayPrompt("s", "t", "text", [new("ghost", new ReplayOutcome(1, 0.1m))]);

        var act = () => new ReplayDataset("x", "/x", ReplayFormat.RouterBench, Models(), [prompt]);

        act.Should().Throw<ArgumentException>().WithMessage("*'ghost'*");
    }

    [Fact]
    public void Lookups_FindPromptsModelsOutcomesAndScores()
    {
        var dataset = CreateDataset(("a", 2));

        dataset.TryGetPrompt("a-1", out var prompt).Should().BeTrue();
        dataset.TryGetPromptByText(prompt!.Text, out var byText).Should().BeTrue();
        byText.Should().BeSameAs(prompt);
        dataset.TryGetModel("m2", out var model).Should().BeTrue();
        model!.Id.Should().Be("m2");
        dataset.TryGetOutcome("a-1", "m2", out var outcome).Should().BeTrue();
        outcome!.Score.Should().Be(prompt.Outcomes["m2"].Score);
        dataset.GetRecordedScore("a-1", "m1").Should().Be(prompt.Outcomes["m1"].Score);

        dataset.TryGetPrompt("nope", out _).Should().BeFalse();
        dataset.TryGetPromptByText("nope", out _).Should().BeFalse();
        dataset.TryGetOutcome("a-1", "nope", out _).Should().BeFalse();
        dataset.Invoking(d => d.GetRecordedScore("nope", "m1")).Should().Throw<KeyNotFoundException>().WithMessage("*nope*");
    }

    [Fact]
    public void Shuffle_SameSeed_GivesTheSamePermutation()
    {
        var dataset = CreateDataset(("a", 40), ("b", 10));

        var first = dataset.Shuffle(42);
        var again = dataset.Shuffle(42);
        var other = dataset.Shuffle(43);

        first.Prompts.Should().BeEquivalentTo(dataset.Prompts);
        first.Prompts.Should().NotEqual(dataset.Prompts, "50 prompts are unlikely to stay in order");
        again.Prompts.Should().Equal(first.Prompts);
        other.Prompts.Should().NotEqual(first.Prompts);
        dataset.Prompts[0].SampleId.Should().Be("a-0", "shuffling returns a new dataset");
        first.TryGetPrompt("b-3", out _).Should().BeTrue();
        first.Models.Should().Equal(dataset.Models);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void StratifiedSplit_HoldsOutRoundedShareOfEachTask(double fraction)
    {
        var dataset = CreateDataset(("a", 10), ("b", 5), ("c", 3), ("d", 1));

        var split = dataset.StratifiedSplit(fraction, seed: 7);

        foreach (var task in new[] { "a", "b", "c", "d" })
        {
            var count = dataset.Prompts.Count(p => p.Task == task);
            var expected = (int)Math.Round(count * fraction, MidpointRounding.AwayFromZero);
            split.HeldOut.Prompts.Count(p => p.Task == task).Should().Be(expected, $"task {task} has {count} prompts");
            split.Train.Prompts.Count(p => p.Task == task).Should().Be(count - expected);
        }

        split.Train.Prompts.Concat(split.HeldOut.Prompts).Should().BeEquivalentTo(dataset.Prompts);
        split.Train.Prompts.Intersect(split.HeldOut.Prompts).Should().BeEmpty();
        split.Train.Prompts.Select(p => IndexOf(dataset, p)).Should().BeInAscendingOrder("both parts keep the dataset order");
        split.HeldOut.Prompts.Select(p => IndexOf(dataset, p)).Should().BeInAscendingOrder();
    }

    [Fact]
    public void StratifiedSplit_DependsOnTheSeedOnly()
    {
        var dataset = CreateDataset(("a", 30), ("b", 30));

        var first = dataset.StratifiedSplit(0.3, seed: 1);
        var again = dataset.StratifiedSplit(0.3, seed: 1);
        var other = dataset.StratifiedSplit(0.3, seed: 2);

        again.HeldOut.Prompts.Should().Equal(first.HeldOut.Prompts);
        other.HeldOut.Prompts.Should().NotEqual(first.HeldOut.Prompts);
        first.Train.Name.Should().Contain("train");
        first.HeldOut.Name.Should().Contain("held-out");
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void StratifiedSplit_FractionOutOfRange_Throws(double fraction)
    {
        var dataset = CreateDataset(("a", 2));

        dataset.Invoking(d => d.StratifiedSplit(fraction, 1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    private static int IndexOf(ReplayDataset dataset, ReplayPrompt prompt) =>
        dataset.Prompts.ToList().IndexOf(prompt);

    private static ReplayModel[] Models() => [new("m1"), new("m2")];

    private static ReplayPrompt CreatePrompt(
        string sampleId,
        string task,
        int seed) =>
        new(
            sampleId,
            task,
            $"Prompt {sampleId}",
            [
                new("m1", new ReplayOutcome(seed % 2, 0.001m * seed, response: $"m1 on {sampleId}")),
                new("m2", new ReplayOutcome((seed + 1) % 2, 0.002m * seed, response: $"m2 on {sampleId}")),
            ]);

    private static ReplayDataset CreateDataset(params (string Task, int Count)[] tasks)
    {
        var prompts = new List<ReplayPrompt>();
        foreach (var (task, count) in tasks)
        {
            for (var i = 0; i < count; i++)
            {
                prompts.Add(CreatePrompt($"{task}-{i}", task, prompts.Count + 1));
            }
        }

        return new ReplayDataset("test", "/data/test", ReplayFormat.RouterBench, Models(), prompts);
    }
}

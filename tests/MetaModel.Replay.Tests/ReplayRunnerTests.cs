using MetaModel.Compliance;
using MetaModel.Replay;

namespace MetaModel.Replay.Tests;

public sealed class ReplayRunnerTests
{
    // Two tasks: on "math" only the dear model is right, on "chat" both are.
    private static readonly ReplayDataset s_dataset = BuildDataset(400);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SingleModel_EarnsItsRecordedScoresAndCosts(bool streaming)
    {
        ReplayRunResult cheap = await ReplayRunner.RunAsync(
            s_dataset,
            "cheap",
            options: new ReplayRunOptions { PinnedModel = "cheap", Streaming = streaming });

        cheap.Requests.Should().Be(400);
        cheap.Accuracy.Should().Be(0.5);
        cheap.TotalCostUsd.Should().Be(400 * 0.001m);
        cheap.CostPerThousandUsd.Should().Be(1m);
        cheap.Choices.Should().Equal(new Dictionary<string, int> { ["cheap"] = 400 });
        cheap.Failures.Should().Be(0);
        cheap.Curve.Should().HaveCount(4);
        cheap.Curve[^1].Should().Be(new ReplayCurvePoint(400, 0.5, 0.4m));
    }

    [Fact]
    public async Task Router_RecordsOneDecisionPerRequestAndFeedsBackScores()
    {
        var recorder = new InMemoryComplianceRecorder();

        ReplayRunResult result = await ReplayRunner.RunAsync(
            s_dataset,
            "cost-aware",
            b => b.UseCostAwarePolicy().UseRecorder(recorder));

        recorder.Decisions.Should().HaveCount(400);
        recorder.Feedback.Should().HaveCount(400).And.OnlyContain(f => f.AppliedToPolicy);
        result.Choices.Values.Sum().Should().Be(400);
        result.Accuracy.Should().BeInRange(0.5, 1);
    }

    [Fact]
    public async Task WithFeedback_AScoreOutsideZeroToOne_IsAReplayDataErrorBeforeAnyRequest()
    {
        ReplayDataset dataset = ReplayHistoryTests.Dataset(("s1", 1), ("s2", 2));
        var recorder = new InMemoryComplianceRecorder();

        Func<Task> run = () => ReplayRunner.RunAsync(dataset, "bandit", b => b.UseBanditPolicy().UseRecorder(recorder));

        (await run.Should().ThrowAsync<ReplayDataException>()).Which.Message
            .Should().Contain("'/data/scores.csv'").And.Contain("Prompt 's2' has a score of 2 for model 'dear'");
        recorder.Decisions.Should().BeEmpty();
    }

    [Fact]
    public async Task WithoutFeedback_AScoreOutsideZeroToOne_IsEarnedAsRecorded()
    {
        ReplayDataset dataset = ReplayHistoryTests.Dataset(("s1", 1), ("s2", 2));

        ReplayRunResult result = await ReplayRunner.RunAsync(
            dataset,
            "dear",
            options: new ReplayRunOptions { PinnedModel = "dear", SendFeedback = false });

        result.Accuracy.Should().Be(1.5);
    }

    [Fact]
    public async Task WithoutFeedback_NoQualityReachesTheRecorder()
    {
        var recorder = new InMemoryComplianceRecorder();

        await ReplayRunner.RunAsync(
            s_dataset,
            "ordered",
            b => b.UseRecorder(recorder),
            new ReplayRunOptions { SendFeedback = false });

        recorder.Feedback.Should().BeEmpty();
    }

    [Fact]
    public async Task Report_ComparesWithTheMostAccurateSingleModel()
    {
        ReplayRunResult cheap = await ReplayRunner.RunAsync(s_dataset, "cheap", options: new() { PinnedModel = "cheap" });
        ReplayRunResult dear = await ReplayRunner.RunAsync(s_dataset, "dear", options: new() { PinnedModel = "dear" });

        ReplayRunResult best = ReplayReport.BestSingle([cheap, dear]);
        string table = ReplayReport.FormatTable([cheap, dear], best);

        best.Should().BeSameAs(dear);
        string[] lines = table.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(4);
        lines[2].Should().StartWith("| cheap").And.Contain("50.0%").And.Contain("10.0%");
        lines[3].Should().StartWith("| dear").And.Contain("100.0%");
    }

    [Fact]
    public async Task Plot_IsAnSvgWithEveryRunLabelled()
    {
        ReplayRunResult cheap = await ReplayRunner.RunAsync(s_dataset, "cheap", options: new() { PinnedModel = "cheap" });
        ReplayRunResult router = await ReplayRunner.RunAsync(s_dataset, "ordered <A&B>");

        string svg = AccuracyCostPlot.Render("fixture", [router], [cheap]);

        var document = System.Xml.Linq.XDocument.Parse(svg);
        document.Root!.Name.LocalName.Should().Be("svg");
        svg.Should().Contain("ordered &lt;A&amp;B&gt;").And.Contain(">cheap<");
        document.Descendants().Count(e => e.Name.LocalName == "circle").Should().Be(2, "one model point and one legend mark");
    }

    [Fact]
    public void Plots_WithControlCharactersInModelNames_StayValidXml()
    {
        // Model names come from the data's header; a U+0001 in one was written as is, which no XML parser accepts.
        ReplayRunResult odd = Result("ctl\u0001name \ud800 <&>");

        string accuracy = AccuracyCostPlot.Render("title \u0002", [odd], [odd]);
        string curve = LearningCurvePlot.Render("title \u001f", [odd]);

        accuracy.Should().Contain("ctl\ufffdname \ufffd &lt;&amp;&gt;");
        FluentActions.Invoking(() => System.Xml.Linq.XDocument.Parse(accuracy)).Should().NotThrow();
        FluentActions.Invoking(() => System.Xml.Linq.XDocument.Parse(curve)).Should().NotThrow();
    }

    [Fact]
    public void Table_WithPipesOrLineBreaksInModelNames_KeepsOneRowOfSevenCellsPerResult()
    {
        // A model named "p|q" (LLMRouter names are free text) split its row into an extra cell.
        ReplayRunResult odd = Result("p|q\nr");

        string table = ReplayReport.FormatTable([odd], odd);

        string[] lines = table.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(3);
        lines[2].Should().StartWith(@"| p\|q r ");
        string[] cells = System.Text.RegularExpressions.Regex.Split(lines[2], @"(?<!\\)\|");
        cells.Should().HaveCount(9, "seven cells between eight unescaped bars");
    }

    private static ReplayRunResult Result(string label) =>
        new(label, 10, 0, 5, 0.01m, 0, new Dictionary<string, int>(), [new ReplayCurvePoint(10, 0.5, 0.01m)], TimeSpan.Zero);

    private static ReplayDataset BuildDataset(int count)
    {
        var prompts = new List<ReplayPrompt>();
        for (int i = 0; i < count; i++)
        {
            bool math = i % 2 == 0;
            prompts.Add(new ReplayPrompt(
                $"s{i}",
                math ? "math" : "chat",
                math ? $"Compute {i} * 17 + 3 and show the working." : $"Say hello to visitor number {i}.",
                [
                    new("cheap", new ReplayOutcome(math ? 0 : 1, 0.001m, response: "cheap answer")),
                    new("dear", new ReplayOutcome(1, 0.01m, response: "dear answer")),
                ]));
        }

        return new ReplayDataset(
            "fixture",
            "/fixture",
            ReplayFormat.RouterBench,
            [new ReplayModel("cheap"), new ReplayModel("dear")],
            prompts);
    }
}

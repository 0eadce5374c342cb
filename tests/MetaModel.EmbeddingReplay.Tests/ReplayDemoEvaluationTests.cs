using System.Globalization;
using System.Text;
using MetaModel.Replay;
using MetaModel.ReplayDemo;

namespace MetaModel.EmbeddingReplay.Tests;

/// <summary>The held-out evaluation that ReplayDemo and EmbeddingReplay share, on small synthetic data sets.</summary>
public sealed class ReplayDemoEvaluationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mm-evaluation-" + Guid.NewGuid().ToString("N"));

    public ReplayDemoEvaluationTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Evaluate_WhenTheMostAccurateModelCostsNothing_SkipsPacingInsteadOfFailing()
    {
        // A target of 20 % of nothing is no target: this used to stop the whole evaluation with a configuration
        // error (TargetCostPerRequestUsd must be positive) after every other run had been done.
        string data = WriteRouterBench(prompts: 30, cost: _ => "0");
        DemoSettings settings = Settings(data);

        EvaluationResult result = await new Evaluation(ReplayDatasetLoader.Load(data), settings).RunAsync();

        string report = await File.ReadAllTextAsync(result.ReportPath);
        report.Should().Contain("no pacing").And.NotContain("NaN").And.NotContain("∞");
        result.Best.Requests.Should().BePositive();
        result.Bandits.Should().HaveCount(6).And.OnlyContain(r => r.Requests == result.Best.Requests);
        result.Paced.Should().BeNull();
    }

    [Fact]
    public async Task Evaluate_WithTooFewPromptsToHoldAnyOut_IsRefusedWithTheCounts()
    {
        // One prompt leaves nothing to hold out; the pacing target was then NaN and the run failed on it.
        string data = WriteRouterBench(prompts: 1, cost: j => j == 0 ? "0.001" : "0.002");

        Func<Task> act = () => new Evaluation(ReplayDatasetLoader.Load(data), Settings(data)).RunAsync();

        (await act.Should().ThrowAsync<ReplayDataException>())
            .WithMessage("*too few prompts*1 prompt*0 held out*--holdout*");
    }

    [Theory]
    [InlineData("--holdout", "1", "between 0 and 1")]
    [InlineData("--holdout", "NaN", "between 0 and 1")]
    [InlineData("--seed", "99999999999", "whole number")]
    public void Settings_OptionWithAnUnusableValue_SaysWhatTheValueMustBe(string option, string value, string expected)
    {
        // These used to get "Unknown or incomplete option", though the option was known and its value given.
        string data = WriteRouterBench(prompts: 2, cost: _ => "0.001");

        DemoSettings settings = DemoSettings.Parse(["evaluate", data, option, value]);

        settings.Error.Should().StartWith(option).And.Contain(expected).And.Contain($"'{value}'");
    }

    [Theory]
    [InlineData("--seed")]
    [InlineData("--holdout")]
    [InlineData("--out")]
    public void Settings_OptionWithoutItsValue_SaysItNeedsOne(string option)
    {
        string data = WriteRouterBench(prompts: 2, cost: _ => "0.001");

        DemoSettings.Parse(["evaluate", data, option]).Error.Should().StartWith($"{option} needs a value.");
    }

    [Fact]
    public void Settings_HoldOutWithoutEvaluate_IsRefused_NotIgnored()
    {
        string data = WriteRouterBench(prompts: 2, cost: _ => "0.001");

        DemoSettings.Parse([data, "--holdout", "0.2"]).Error.Should().StartWith("--holdout applies to evaluate only");
        DemoSettings.Parse(["evaluate", data, "--holdout", "0.2", "--out", Path.Combine(_folder, "out")])
            .Error.Should().BeNull();
    }

    [Fact]
    public async Task Demo_CostCommand_NamesOneRoutersStream_OfTheSeveralInTheLog()
    {
        // The log holds one stream per router; a cost table without --stream would add up all five routers' costs.
        string data = WriteRouterBench(prompts: 12, cost: j => j == 0 ? "0.001" : "0.002");
        DemoSettings settings = DemoSettings.Parse([data, "--out", Path.Combine(_folder, "out")]);
        var demo = new ReplayDemo.ReplayDemo(ReplayDatasetLoader.Load(data), settings);
        demo.ResetDecisionLog();
        _ = await demo.RunRoutersAsync(await demo.RunSingleModelsAsync());

        IReadOnlyList<string> streams = (await demo.VerifyDecisionLogAsync()).Select(r => r.Stream).ToList();

        streams.Should().HaveCountGreaterThan(1).And.Contain(ReplayDemo.ReplayDemo.BanditStream);
        ReplayDemo.ReplayDemo.CostCommand(demo.DecisionLogPath).Should()
            .Contain($"cost --sqlite \"{demo.DecisionLogPath}\" --stream {ReplayDemo.ReplayDemo.BanditStream} ");
    }

    private DemoSettings Settings(string data)
    {
        DemoSettings settings = DemoSettings.Parse(["evaluate", data, "--out", Path.Combine(_folder, "out")]);
        settings.Error.Should().BeNull();
        return settings;
    }

    private string WriteRouterBench(int prompts, Func<int, string> cost)
    {
        var text = new StringBuilder(",sample_id,prompt,eval_name,small,large,small|total_cost,large|total_cost\n");
        for (int i = 0; i < prompts; i++)
        {
            string small = i % 3 == 0 ? "1.0" : "0.0";
            text.Append(CultureInfo.InvariantCulture, $"{i},s{i},\"['Question {i}: what is {i} + {i % 7}?']\",t{i % 2},")
                .Append(CultureInfo.InvariantCulture, $"{small},1.0,{cost(0)},{cost(1)}\n");
        }

        string path = Path.Combine(_folder, "data.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}

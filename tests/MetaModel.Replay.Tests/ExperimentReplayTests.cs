using MetaModel.Compliance;
using MetaModel.Experiments;
using MetaModel.Experiments.Analysis;
using Xunit.Abstractions;

namespace MetaModel.Replay.Tests;

/// <summary>
/// Experiments replayed over real recorded answers, where the right verdict is known: a strong and a weak model
/// differ; a model compared with itself does not.
/// </summary>
public sealed class ExperimentReplayTests(ITestOutputHelper output)
{
    private const string Strong = "gpt-4-1106-preview";
    private const string Weak = "mistralai/mistral-7b-chat";

    private static readonly Lazy<ReplayDataset> s_dataset = new(() => ReplayDatasetLoader.Load(SharedData.RouterBench));

    [Fact]
    public async Task StrongVersusWeakModel_IsSignificant()
    {
        var experiment = new Experiment(
            "ab-strong-weak",
            [ExperimentArm.ForCandidate("A", 1, Strong), ExperimentArm.ForCandidate("B", 1, Weak)]);

        ExperimentReport report = await RunAsync(experiment);
        output.WriteLine(report.ToMarkdown());

        report.Arms.Sum(a => a.Requests).Should().Be(s_dataset.Value.Prompts.Count);
        report.Arms.Should().OnlyContain(a => a.Requests > 0.45 * s_dataset.Value.Prompts.Count);
        ArmComparison comparison = report.Comparisons.Single();
        comparison.Significant.Should().BeTrue();
        comparison.Method.Should().Be("fixed-horizon Welch t-test");
        comparison.QualityDifference.Should().BeLessThan(-0.2, "the 7B model answers far fewer questions right");
        comparison.AlwaysValidP.Should().BeLessThan(0.001, "the sequential test sees it too");
        report.Arms[0].MeanCostUsd.Should().BeGreaterThan(report.Arms[1].MeanCostUsd);
    }

    [Fact]
    public async Task SameModelInBothArms_IsRarelySignificant()
    {
        // Twenty A/A experiments, each splitting the prompts differently (the experiment id seeds the split). At
        // alpha = 0.05 about one is expected to come out significant by chance; four or more would happen with
        // probability 1.6% if the test holds its level.
        int significant = 0;
        var pValues = new List<double>();
        for (int seed = 0; seed < 20; seed++)
        {
            var experiment = new Experiment(
                $"aa-{seed}",
                [ExperimentArm.ForCandidate("A", 1, Strong), ExperimentArm.ForCandidate("A'", 1, Strong)]);
            ArmComparison comparison = (await RunAsync(experiment)).Comparisons.Single();
            significant += comparison.Significant ? 1 : 0;
            pValues.Add(comparison.WelchP);
        }

        output.WriteLine(
            "Welch p per seed: " + string.Join(
                ", ",
                pValues.Select(p => p.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))));
        significant.Should().BeLessThanOrEqualTo(3);
        pValues.Should().Contain(p => p > 0.5, "under the null, p-values spread over (0, 1)");
    }

    private static async Task<ExperimentReport> RunAsync(Experiment experiment)
    {
        var recorder = new InMemoryComplianceRecorder();
        await ReplayRunner.RunAsync(
            s_dataset.Value,
            experiment.Id,
            builder => builder.UseExperiment(experiment).UseRecorder(recorder),
            new ReplayRunOptions { SampleIdAsUserKey = true, CurveInterval = 0 });

        // The whole dataset is the fixed horizon: each arm gets about half of it, and the analysis runs once.
        int horizon = (int)(0.45 * s_dataset.Value.Prompts.Count);
        return ExperimentAnalyzer.Analyze(
            experiment,
            recorder.Decisions,
            recorder.Outcomes,
            recorder.Feedback,
            new ExperimentAnalysisOptions { PlannedSamplesPerArm = horizon });
    }
}

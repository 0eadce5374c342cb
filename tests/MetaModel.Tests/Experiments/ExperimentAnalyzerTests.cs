using System.Xml.Linq;
using MetaModel.Compliance;
using MetaModel.Experiments;
using MetaModel.Experiments.Analysis;

namespace MetaModel.Tests.Experiments;

public sealed class ExperimentAnalyzerTests
{
    private static readonly DateTimeOffset s_start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Analyze_SummarizesEachArm()
    {
        var log = new Log();
        for (int i = 1; i <= 100; i++)
        {
            log.Add("exp", "A", quality: i % 2, durationMs: i, cost: 0.01m, succeeded: i % 10 != 0);
            log.Add("exp", "B", quality: 1, durationMs: 2 * i, cost: 0.02m, succeeded: true);
        }

        ExperimentReport report = ExperimentAnalyzer.Analyze("exp", log.Decisions, log.Outcomes, log.Feedback);

        report.ControlArm.Should().Be("A");
        ArmSummary a = report.Arms[0];
        a.Requests.Should().Be(100);
        a.Errors.Should().Be(10);
        a.ErrorRate.Should().BeApproximately(0.1, 1e-12);
        a.TotalCostUsd.Should().Be(1.00m);
        a.MeanCostUsd.Should().Be(0.01m);
        a.LatencyP50.TotalMilliseconds.Should().BeApproximately(50.5, 1e-6);
        a.LatencyP95.TotalMilliseconds.Should().BeApproximately(95.05, 1e-6);
        a.QualityMean.Should().Be(0.5);
        a.QualityLow.Should().BeApproximately(0.5 - (1.9842169515 * Math.Sqrt(0.25252525 / 100)), 1e-6);
        report.Arms[1].QualityMean.Should().Be(1);
        report.Comparisons.Should().ContainSingle().Which.QualityDifference.Should().Be(0.5);
    }

    [Fact]
    public void Analyze_IgnoresOtherExperimentsUnassignedDecisionsAndLaterScores()
    {
        var log = new Log();
        log.Add("exp", "A", quality: 1);
        log.Add("exp", "B", quality: 0);
        log.Add("other", "A", quality: 0);
        log.Add(experiment: null, "A", quality: 0);
        log.Feedback.Add(new FeedbackRecord(log.Decisions[0].DecisionId, s_start.AddDays(1), "x", 0, false));

        ExperimentReport report = ExperimentAnalyzer.Analyze("exp", log.Decisions, log.Outcomes, log.Feedback);

        report.Arms.Select(a => (a.Arm, a.Requests, a.QualitySamples, a.QualityMean))
            .Should().Equal(("A", 1, 1, 1.0), ("B", 1, 1, 0.0));
    }

    [Fact]
    public void Analyze_WithExperiment_UsesItsArmOrderAndFirstArmAsControl()
    {
        var experiment =
            new Experiment("exp", [ExperimentArm.ForCandidate("zeta", 1, "z"), ExperimentArm.ForCandidate("alpha", 1, "a")]);
        var log = new Log();
        log.Add("exp", "alpha", 1);
        log.Add("exp", "zeta", 0);

        ExperimentReport report = ExperimentAnalyzer.Analyze(experiment, log.Decisions, log.Outcomes, log.Feedback);

        report.ControlArm.Should().Be("zeta");
        report.Arms.Select(a => a.Arm).Should().Equal("zeta", "alpha");
        report.Comparisons.Single().Arm.Should().Be("alpha");
    }

    [Fact]
    public void Analyze_LargeDifference_SignificantBeforeAndAtTheHorizon()
    {
        Log log = Simulated(seed: 1, perArm: 500, meanA: 0.5, meanB: 0.9);

        ArmComparison sequential =
            ExperimentAnalyzer.Analyze("exp", log.Decisions, log.Outcomes, log.Feedback).Comparisons.Single();
        ArmComparison fixedHorizon = ExperimentAnalyzer.Analyze(
            "exp",
            log.Decisions,
            log.Outcomes,
            log.Feedback,
            new ExperimentAnalysisOptions { PlannedSamplesPerArm = 400 }).Comparisons.Single();

        sequential.Method.Should().Be("always-valid mixture SPRT");
        sequential.HorizonReached.Should().BeFalse();
        sequential.Significant.Should().BeTrue();
        sequential.AlwaysValidP.Should().BeLessThan(1e-6);
        fixedHorizon.Method.Should().Be("fixed-horizon Welch t-test");
        fixedHorizon.Significant.Should().BeTrue();
        fixedHorizon.WelchP.Should().BeLessThan(1e-6);
        fixedHorizon.DifferenceLow.Should().BeGreaterThan(0.3);
    }

    [Fact]
    public void Analyze_HorizonNotReached_AlwaysValidTestDecides()
    {
        Log log = Simulated(seed: 2, perArm: 100, meanA: 0.5, meanB: 0.5);

        ArmComparison comparison = ExperimentAnalyzer.Analyze(
            "exp",
            log.Decisions,
            log.Outcomes,
            log.Feedback,
            new ExperimentAnalysisOptions { PlannedSamplesPerArm = 400 }).Comparisons.Single();

        comparison.HorizonReached.Should().BeFalse();
        comparison.Method.Should().Be("always-valid mixture SPRT");
    }

    [Fact]
    public void AlwaysValidP_UnderRepeatedPeeking_KeepsFalsePositivesNearAlpha_WhileNaiveWelchDoesNot()
    {
        // 150 A/A experiments, each analysed after every 50 scores per arm up to 600: stopping at the first
        // Welch p < 0.05 finds a "difference" far more often than 5%; the always-valid p-value does not.
        const int Experiments = 150;
        int naive = 0;
        int sequential = 0;
        for (int seed = 0; seed < Experiments; seed++)
        {
            Log log = Simulated(seed + 100, perArm: 600, meanA: 0.5, meanB: 0.5);
            bool naiveHit = false;
            for (int looks = 50; looks <= 600 && !naiveHit; looks += 50)
            {
                int count = 2 * looks;
                ArmComparison peek = ExperimentAnalyzer.Analyze(
                    "exp",
                    log.Decisions.Take(count),
                    [],
                    log.Feedback.Take(count)).Comparisons.Single();
                naiveHit = peek.WelchP < 0.05;
            }

            naive += naiveHit ? 1 : 0;
            sequential +=
                ExperimentAnalyzer.Analyze("exp", log.Decisions, [], log.Feedback).Comparisons.Single().Significant ? 1 : 0;
        }

        ((double)sequential / Experiments).Should().BeLessThanOrEqualTo(0.08);
        ((double)naive / Experiments).Should().BeGreaterThan(0.10);
    }

    [Fact]
    public void Report_MarkdownAndSvg_ShowEveryArm()
    {
        Log log = Simulated(seed: 3, perArm: 200, meanA: 0.5, meanB: 0.8);
        ExperimentReport report = ExperimentAnalyzer.Analyze("exp", log.Decisions, log.Outcomes, log.Feedback);

        string markdown = report.ToMarkdown();
        string svg = ExperimentPlot.Render(report, "A <vs> B");

        markdown.Should().Contain("| A (control) | 200 |").And.Contain("| B | 200 |").And.Contain("**significant**");
        XDocument document = XDocument.Parse(svg);
        document.Root!.Name.LocalName.Should().Be("svg");
        svg.Should().Contain("A &lt;vs&gt; B").And.Contain(">B<");
        document.Descendants().Count(e => e.Name.LocalName == "circle").Should().Be(2);
    }

    [Fact]
    public void Plot_StaysValidXml_WhenTheTitleHoldsControlCharactersOrALoneSurrogate()
    {
        Log log = Simulated(seed: 4, perArm: 50, meanA: 0.5, meanB: 0.6);
        ExperimentReport report = ExperimentAnalyzer.Analyze("exp", log.Decisions, log.Outcomes, log.Feedback);

        string svg = ExperimentPlot.Render(report, "A\u0001B\uD800 & C");

        XDocument.Parse(svg).Root!.Name.LocalName.Should().Be("svg");
        svg.Should().Contain("A\uFFFDB\uFFFD &amp; C");
    }

    [Fact]
    public void Plan_SamplesPerArm_MatchesTheNormalApproximation()
    {
        ExperimentPlan.SamplesPerArm(0.1, 0.5).Should().Be(393);
        ExperimentPlan.SamplesPerArm(0.05, 0.5, alpha: 0.01, power: 0.9).Should().Be(2976);
    }

    private static Log Simulated(int seed, int perArm, double meanA, double meanB)
    {
        var random = new Random(seed);
        var log = new Log();
        for (int i = 0; i < perArm; i++)
        {
            log.Add("exp", "A", random.NextDouble() < meanA ? 1 : 0);
            log.Add("exp", "B", random.NextDouble() < meanB ? 1 : 0);
        }

        return log;
    }

    [Fact]
    public void Analyze_ControlArmNotInTheExperiment_ThrowsNamingIt()
    {
        var experiment =
            new Experiment("exp", [ExperimentArm.ForCandidate("a", 1, "A"), ExperimentArm.ForCandidate("b", 1, "B")]);

        Action act = () => ExperimentAnalyzer.Analyze(experiment, [], [], [], new ExperimentAnalysisOptions { ControlArm = "c" });

        act.Should().Throw<ArgumentException>().WithMessage("*control arm 'c'*not an arm*a, b*");
    }

    [Fact]
    public void Analyze_NamedControlWithoutRecords_AppearsWithNoRequests()
    {
        var log = new Log();
        log.Add("exp", "B", quality: 1);

        ExperimentReport report = ExperimentAnalyzer.Analyze(
            "exp", log.Decisions, log.Outcomes, log.Feedback, new ExperimentAnalysisOptions { ControlArm = "A" });

        report.Arms.Select(a => (a.Arm, a.Requests)).Should().Equal(("A", 0), ("B", 1));
        report.Comparisons.Should().ContainSingle().Which.Control.Should().Be("A");
    }

    [Theory]
    [InlineData(double.NaN, null, 30, "MixtureScale")]
    [InlineData(0.0, null, 30, "MixtureScale")]
    [InlineData(0.1, -5, 30, "PlannedSamplesPerArm")]
    [InlineData(0.1, 1, 30, "PlannedSamplesPerArm")]
    [InlineData(0.1, null, 0, "SequentialBurnIn")]
    public void Analyze_SettingThatDisablesATest_Throws(double tau, int? planned, int burnIn, string setting)
    {
        var options = new ExperimentAnalysisOptions
        {
            MixtureScale = tau,
            PlannedSamplesPerArm = planned,
            SequentialBurnIn = burnIn,
        };

        Action act = () => ExperimentAnalyzer.Analyze("exp", [], [], [], options);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"{setting} must be*");
    }

    private sealed class Log
    {
        public List<DecisionRecord> Decisions { get; } = [];

        public List<OutcomeRecord> Outcomes { get; } = [];

        public List<FeedbackRecord> Feedback { get; } = [];

        public void Add(
            string? experiment,
            string arm,
            double quality,
            double durationMs = 1,
            decimal cost = 0,
            bool succeeded = true)
        {
            string id = "d" + Decisions.Count;
            DateTimeOffset time = s_start.AddSeconds(Decisions.Count);
            Decisions.Add(new DecisionRecord(id, time, "mm", null, "u", null, false, 10, "p", "1", [], arm, false, "r")
            {
                Experiment = experiment is null ? null : new ExperimentAssignment(experiment, arm, 0.5, true),
            });
            Outcomes.Add(new OutcomeRecord(
                id, time, arm, succeeded, "stop", false, 0, 1, 1, cost, false, null, TimeSpan.FromMilliseconds(durationMs), null,
                null));
            Feedback.Add(new FeedbackRecord(id, time, arm, quality, true));
        }
    }
}

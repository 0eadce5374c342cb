using MetaModel.Compliance;
using MetaModel.Experiments.Statistics;

namespace MetaModel.Experiments.Analysis;

/// <summary>Analyses an experiment from decision-log records, wherever they were stored.</summary>
/// <remarks>
/// <para>
/// Requests count in the arm they were assigned to (intention to treat), read from
/// <see cref="DecisionRecord.Experiment"/>. Each decision's last outcome gives errors, cost and latency; its first
/// quality score gives quality. Records of other experiments and decisions without an assignment are ignored.
/// </para>
/// <para>
/// The primary metric is mean quality. Each arm is compared with the control by Welch's t-test, which does not
/// assume equal variances, valid when the data are looked at once, at a horizon fixed in advance
/// (<see cref="ExperimentAnalysisOptions.PlannedSamplesPerArm"/>). Looking earlier and stopping at the first
/// p &lt; alpha inflates false positives, so before the horizon (or without one) the verdict comes from the mixture
/// sequential probability ratio test, whose always-valid p-value min(1, 1 / maxₙ Λₙ) keeps the false-positive rate
/// at most alpha however often the log is analysed. Λ is updated after every score in time order.
/// </para>
/// </remarks>
public static class ExperimentAnalyzer
{
    /// <summary>Analyses <paramref name="experiment"/>; its first arm is the control unless the options name one.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="decisions">Decision records, in any order.</param>
    /// <param name="outcomes">Outcome records, in any order.</param>
    /// <param name="feedback">Quality records, in any order.</param>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    public static ExperimentReport Analyze(
        Experiment experiment,
        IEnumerable<DecisionRecord> decisions,
        IEnumerable<OutcomeRecord> outcomes,
        IEnumerable<FeedbackRecord> feedback,
        ExperimentAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var settings = options ?? new ExperimentAnalysisOptions();
        if (settings.ControlArm is { } named && !experiment.Arms.Any(a => a.Name == named))
        {
            throw new ArgumentException(
                $"The control arm '{named}' is not an arm of experiment '{experiment.Id}' " +
                $"({string.Join(", ", experiment.Arms.Select(a => a.Name))}).",
                nameof(options));
        }

        settings = new ExperimentAnalysisOptions
        {
            Alpha = settings.Alpha,
            ControlArm = settings.ControlArm ?? experiment.Arms[0].Name,
            PlannedSamplesPerArm = settings.PlannedSamplesPerArm,
            MixtureScale = settings.MixtureScale,
            SequentialBurnIn = settings.SequentialBurnIn,
        };
        return Analyze(experiment.Id, decisions, outcomes, feedback, settings, experiment.Arms.Select(a => a.Name).ToArray());
    }

    /// <summary>Analyses the experiment <paramref name="experimentId"/> from its records alone.</summary>
    /// <param name="experimentId">The experiment's id.</param>
    /// <param name="decisions">Decision records, in any order.</param>
    /// <param name="outcomes">Outcome records, in any order.</param>
    /// <param name="feedback">Quality records, in any order.</param>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <returns>The report; arms appear in name order, the control first.</returns>
    public static ExperimentReport Analyze(
        string experimentId,
        IEnumerable<DecisionRecord> decisions,
        IEnumerable<OutcomeRecord> outcomes,
        IEnumerable<FeedbackRecord> feedback,
        ExperimentAnalysisOptions? options = null) =>
        Analyze(experimentId, decisions, outcomes, feedback, options ?? new ExperimentAnalysisOptions(), armOrder: null);

    private static ExperimentReport Analyze(
        string experimentId,
        IEnumerable<DecisionRecord> decisions,
        IEnumerable<OutcomeRecord> outcomes,
        IEnumerable<FeedbackRecord> feedback,
        ExperimentAnalysisOptions options,
        string[]? armOrder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(feedback);
        if (options.Alpha is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Alpha, "Alpha must lie strictly between 0 and 1.");
        }

        if (!double.IsFinite(options.MixtureScale) || options.MixtureScale <= 0)
        {
            // τ = 0 makes the likelihood ratio 1 whatever the data: the test could never find a difference.
            throw new ArgumentOutOfRangeException(
                nameof(options), options.MixtureScale, "MixtureScale must be a positive, finite number.");
        }

        if (options.PlannedSamplesPerArm is < 2)
        {
            // A horizon already reached would let Welch's test decide at every look, which inflates false positives.
            throw new ArgumentOutOfRangeException(
                nameof(options), options.PlannedSamplesPerArm, "PlannedSamplesPerArm must be at least 2 when set.");
        }

        if (options.SequentialBurnIn < 2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.SequentialBurnIn, "SequentialBurnIn must be at least 2: a variance needs two values.");
        }

        // Which arm each decision of this experiment belongs to.
        var armOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DecisionRecord decision in decisions)
        {
            if (decision.Experiment is { } assignment && assignment.ExperimentId == experimentId)
            {
                armOf[decision.DecisionId] = assignment.Arm;
            }
        }

        var lastOutcome = new Dictionary<string, OutcomeRecord>(StringComparer.Ordinal);
        foreach (OutcomeRecord outcome in outcomes)
        {
            if (armOf.ContainsKey(outcome.DecisionId))
            {
                lastOutcome[outcome.DecisionId] = outcome;
            }
        }

        // The first score of each decision, kept in arrival order for the sequential test.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var scores = new List<(DateTimeOffset Time, string Arm, double Quality)>();
        foreach (FeedbackRecord record in feedback)
        {
            if (armOf.TryGetValue(record.DecisionId, out string? arm) && seen.Add(record.DecisionId))
            {
                scores.Add((record.Timestamp, arm, record.Quality));
            }
        }

        // A stable sort: records with equal timestamps keep their log order.
        scores = [.. scores.OrderBy(s => s.Time)];

        string[] arms = armOrder ?? [.. armOf.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        string control = options.ControlArm ?? arms.FirstOrDefault() ?? string.Empty;

        // A named control without records still appears, with no requests, rather than vanishing from the report.
        arms = arms.Length == 0 && control.Length == 0
            ? arms
            : [control, .. arms.Where(a => a != control)];

        var summaries = new List<ArmSummary>();
        var moments = new Dictionary<string, RunningMoments>(StringComparer.Ordinal);
        foreach (string arm in arms)
        {
            var quality = new RunningMoments();
            foreach ((_, string scoreArm, double value) in scores)
            {
                if (scoreArm == arm)
                {
                    quality.Add(value);
                }
            }

            moments[arm] = quality;
            summaries.Add(Summarize(arm, armOf, lastOutcome, quality, options.Alpha));
        }

        var comparisons = new List<ArmComparison>();
        ArmSummary? controlSummary = summaries.FirstOrDefault(s => s.Arm == control);
        foreach (ArmSummary summary in summaries.Where(s => s.Arm != control))
        {
            comparisons.Add(Compare(summary, controlSummary, moments, scores, options));
        }

        return new ExperimentReport(experimentId, control, options, summaries, comparisons);
    }

    private static ArmSummary Summarize(
        string arm,
        Dictionary<string, string> armOf,
        Dictionary<string, OutcomeRecord> lastOutcome,
        RunningMoments quality,
        double alpha)
    {
        int requests = 0;
        int errors = 0;
        decimal cost = 0;
        var durations = new List<double>();
        foreach ((string decisionId, string decisionArm) in armOf)
        {
            if (decisionArm != arm)
            {
                continue;
            }

            requests++;
            if (lastOutcome.TryGetValue(decisionId, out OutcomeRecord? outcome))
            {
                errors += outcome.Succeeded ? 0 : 1;
                cost += outcome.CostUsd;
                durations.Add(outcome.Duration.TotalSeconds);
            }
        }

        durations.Sort();
        double low = double.NaN;
        double high = double.NaN;
        if (quality.Count >= 2)
        {
            double margin =
                Distributions.StudentQuantile(1 - (alpha / 2), quality.Count - 1) * Math.Sqrt(quality.Variance / quality.Count);
            low = quality.Mean - margin;
            high = quality.Mean + margin;
        }

        return new ArmSummary(
            arm,
            requests,
            durations.Count,
            errors,
            (int)quality.Count,
            quality.Mean,
            low,
            high,
            cost,
            TimeSpan.FromSeconds(Percentile(durations, 0.50)),
            TimeSpan.FromSeconds(Percentile(durations, 0.95)));
    }

    private static ArmComparison Compare(
        ArmSummary arm,
        ArmSummary? control,
        Dictionary<string, RunningMoments> moments,
        List<(DateTimeOffset Time, string Arm, double Quality)> scores,
        ExperimentAnalysisOptions options)
    {
        string controlName = control?.Arm ?? options.ControlArm ?? string.Empty;
        RunningMoments a = moments.GetValueOrDefault(controlName);
        RunningMoments b = moments[arm.Arm];
        (double difference, double low, double high, double t, double df, double p) = MeanComparison.Welch(a, b, options.Alpha);

        // The sequential test replays the two arms' scores in time order and keeps the largest ratio seen.
        var runningA = new RunningMoments();
        var runningB = new RunningMoments();
        double maxRatio = 1;
        foreach ((_, string scoreArm, double value) in scores)
        {
            if (scoreArm == controlName)
            {
                runningA.Add(value);
            }
            else if (scoreArm == arm.Arm)
            {
                runningB.Add(value);
            }
            else
            {
                continue;
            }

            if (runningA.Count >= options.SequentialBurnIn && runningB.Count >= options.SequentialBurnIn)
            {
                double ratio = MeanComparison.MixtureLikelihoodRatio(runningA, runningB, options.MixtureScale);
                if (ratio > maxRatio)
                {
                    maxRatio = ratio;
                }
            }
        }

        double alwaysValidP = Math.Min(1, 1 / maxRatio);
        bool horizonReached = options.PlannedSamplesPerArm is { } planned && a.Count >= planned && b.Count >= planned;
        bool significant;
        string method;
        if (horizonReached)
        {
            method = "fixed-horizon Welch t-test";
            significant = p < options.Alpha;
        }
        else
        {
            method = "always-valid mixture SPRT";
            significant = alwaysValidP < options.Alpha;
        }

        double errorP = control is null
            ? double.NaN
            : MeanComparison.TwoProportionP(control.Errors, control.Outcomes, arm.Errors, arm.Outcomes);
        return new ArmComparison(
            arm.Arm,
            controlName,
            difference,
            low,
            high,
            t,
            df,
            p,
            alwaysValidP,
            horizonReached,
            method,
            significant,
            errorP);
    }

    // Linear interpolation between closest ranks (the common "type 7" definition); 0 for an empty list.
    private static double Percentile(List<double> sorted, double fraction)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        double position = fraction * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}

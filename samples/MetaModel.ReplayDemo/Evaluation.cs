using System.Globalization;
using System.Text;
using MetaModel.Features;
using MetaModel.Policies;
using MetaModel.Replay;
using MetaModel.Routing;

namespace MetaModel.ReplayDemo;

/// <summary>
/// Judges the bandit policy on recorded data: warm-started on part of the prompts and scored on the held-out rest
/// at several cost weights, against every single model and the per-task best-model rule; and learning from
/// nothing over a shuffled stream (the cold-start curve).
/// </summary>
/// <param name="dataset">The recorded prompts and outcomes.</param>
/// <param name="settings">The split, seed and output folder.</param>
/// <param name="setup">
/// The features and bandit settings; <see langword="null"/> for <see cref="EvaluationSetup.Hashing"/>.
/// </param>
internal sealed class Evaluation(ReplayDataset dataset, DemoSettings settings, EvaluationSetup? setup = null)
{
    private static readonly double[] s_costWeights = [0, 0.05, 0.1, 0.15, 0.2, 0.3];

    private readonly EvaluationSetup _setup = setup ?? EvaluationSetup.Hashing();

    /// <summary>Runs the evaluation and writes its report and plots.</summary>
    /// <returns>The results.</returns>
    /// <exception cref="ReplayDataException">
    /// The split leaves no prompt to warm-start on or none to hold out: the data set is too small to evaluate.
    /// </exception>
    public async Task<EvaluationResult> RunAsync()
    {
        ReplayDatasetSplit split = dataset.StratifiedSplit(settings.HoldOutFraction, settings.Seed);
        ReplayDataset train = split.Train;
        ReplayDataset heldOut = split.HeldOut.Shuffle(settings.Seed);
        if (train.Prompts.Count == 0 || heldOut.Prompts.Count == 0)
        {
            throw new ReplayDataException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The data set has too few prompts to evaluate: its {dataset.Prompts.Count} prompt(s) leave " +
                    $"{train.Prompts.Count} to warm-start on and {heldOut.Prompts.Count} held out " +
                    $"(--holdout {settings.HoldOutFraction}); both need at least one."),
                dataset.SourcePath);
        }

        IPromptFeaturizer featurizer = _setup.Featurizer;
        var history = await ReplayHistory.ForBanditAsync(train, featurizer).ConfigureAwait(false);
        Console.WriteLine("Featurizing the training prompts and running every single model on the held-out prompts ...");
        Console.WriteLine(
            $"Held-out evaluation: warm start on {train.Prompts.Count:N0} prompts ({history.Count:N0} recorded outcomes), " +
            $"scored on {heldOut.Prompts.Count:N0} held-out prompts.");

        var singles = new List<ReplayRunResult>();
        foreach (ReplayModel model in dataset.Models)
        {
            singles.Add(
                await ReplayRunner.RunAsync(heldOut, model.Id, options: new() { PinnedModel = model.Id }).ConfigureAwait(false));
        }

        ReplayRunResult best = ReplayReport.BestSingle(singles);
        ReplayRunResult rule = ReplayBaselines.PerTaskBestModel(train, heldOut);
        // Every warm-started run shares the held-out prompts, the features and the history; only its settings differ.
        Task<ReplayRunResult> Run(string label, Action<BanditRoutingOptions> configure) =>
            RunBanditAsync(heldOut, $"{_setup.RunLabel} {label}", featurizer, history, o =>
            {
                _setup.ConfigureBandit?.Invoke(o);
                configure(o);
            });

        var bandits = new List<ReplayRunResult>();
        foreach (double lambda in s_costWeights)
        {
            bandits.Add(await Run($"λ={lambda:0.##}", o => o.CostWeight = lambda).ConfigureAwait(false));
        }

        // Budget pacing to the goals' two budgets, 20 % and 50 % of the reference's cost per request. When the
        // reference costs nothing there is no budget: nothing to pace to.
        double target = (double)best.TotalCostUsd / best.Requests * 0.2;
        ReplayRunResult? paced = target > 0
            ? await Run("paced to 20% of best's cost", o => o.TargetCostPerRequestUsd = target).ConfigureAwait(false)
            : null;
        ReplayRunResult? pacedToHalf = target > 0
            ? await Run("paced to 50% of best's cost", o => o.TargetCostPerRequestUsd = target * 2.5).ConfigureAwait(false)
            : null;
        List<ReplayRunResult> settingsRun = paced is null || pacedToHalf is null ? bandits : [.. bandits, paced, pacedToHalf];

        string frontierPath = Path.Combine(settings.OutputDirectory, $"{_setup.FilePrefix}-frontier.svg");
        await File.WriteAllTextAsync(
            frontierPath,
            AccuracyCostPlot.Render(
                $"{dataset.Name}, held-out: accuracy vs cost",
                [.. settingsRun, rule],
                singles)).ConfigureAwait(false);
        string? curvePath = null;
        var curves = new List<ReplayRunResult>();
        if (_setup.ColdStart)
        {
            curvePath = Path.Combine(settings.OutputDirectory, $"{_setup.FilePrefix}-cold-start.svg");
            curves.AddRange(await RunColdStartAsync(featurizer, best.Label).ConfigureAwait(false));
            await File.WriteAllTextAsync(
                curvePath,
                LearningCurvePlot.Render(
                    $"{dataset.Name}: cumulative accuracy, learning from nothing",
                    curves)).ConfigureAwait(false);
        }

        string report = Report(train, heldOut, best, rule, settingsRun, paced, singles, curves, target, frontierPath, curvePath);
        string reportPath = Path.Combine(settings.OutputDirectory, $"{_setup.FilePrefix}-evaluation.md");
        await File.WriteAllTextAsync(reportPath, report).ConfigureAwait(false);
        Console.WriteLine(report);
        Console.WriteLine($"Report: {reportPath}");
        return new EvaluationResult(_setup, best, rule, bandits, paced, singles, reportPath);
    }

    private async Task<List<ReplayRunResult>> RunColdStartAsync(IPromptFeaturizer featurizer, string bestLabel)
    {
        Console.WriteLine("Cold start: learning from nothing over the whole shuffled stream.");
        ReplayDataset stream = dataset.Shuffle(settings.Seed);
        int interval = Math.Max(10, stream.Prompts.Count / 50);
        return
        [
            await ReplayRunner.RunAsync(
                stream,
                "bandit (cold)",
                b => b.UseFeaturizer(featurizer).UseBanditPolicy(o => _setup.ConfigureBandit?.Invoke(o)),
                new() { CurveInterval = interval }).ConfigureAwait(false),
            await ReplayRunner.RunAsync(
                stream,
                "cost-aware (cold)",
                b => b.UseCostAwarePolicy(),
                new() { CurveInterval = interval }).ConfigureAwait(false),
            await ReplayRunner.RunAsync(
                stream,
                bestLabel,
                options: new() { PinnedModel = bestLabel, CurveInterval = interval }).ConfigureAwait(false),
        ];
    }

    private static Task<ReplayRunResult> RunBanditAsync(
        ReplayDataset heldOut,
        string label,
        IPromptFeaturizer featurizer,
        IReadOnlyList<BanditHistoryRecord> history,
        Action<BanditRoutingOptions> configure) =>
        ReplayRunner.RunAsync(
            heldOut,
            label,
            b => b.UseFeaturizer(featurizer).UseBanditPolicy(configure),
            new ReplayRunOptions
            {
                Prepare = (metaModel, _) =>
                {
                    ((BanditRoutingPolicy)metaModel.Policy).WarmStart(history);
                    return ValueTask.CompletedTask;
                },
            });

    private string Report(
        ReplayDataset train,
        ReplayDataset heldOut,
        ReplayRunResult best,
        ReplayRunResult rule,
        List<ReplayRunResult> bandits,
        ReplayRunResult? paced,
        List<ReplayRunResult> singles,
        List<ReplayRunResult> curves,
        double target,
        string frontierPath,
        string? curvePath)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Bandit evaluation on {dataset.Name}")
            .AppendLine()
            .AppendLine(
                CultureInfo.InvariantCulture,
                $"Split by prompt, stratified by task: {train.Prompts.Count} prompts to warm-start on, " +
                $"{heldOut.Prompts.Count} held out (fraction {settings.HoldOutFraction}, seed {settings.Seed}).")
            .AppendLine(_setup.Description)
            .AppendLine(
                "The bandit is warm-started with every model's recorded outcome on the training prompts, " +
                "then routes the held-out prompts one by one and keeps learning from the recorded score of the model it chose.")
            .AppendLine(
                CultureInfo.InvariantCulture,
                $"Per-task rule: {string.Join(", ", ReplayBaselines.PerTaskRule(train).Select(p => $"{p.Key} → {p.Value}"))}.")
            .AppendLine()
            .AppendLine(ReplayReport.FormatTable([.. bandits, rule, .. singles.OrderByDescending(s => s.Accuracy)], best));

        text.AppendLine(paced is null
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"Pacing target: none, so no pacing run: {best.Label} costs nothing on the held-out prompts.")
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"Pacing target: {target * 1000:0.####} USD per 1,000 requests; " +
                    $"the paced bandit spent {paced.CostPerThousandUsd:0.####}."))
            .AppendLine()
            .AppendLine("### Targets (relative to the most accurate single model on the held-out prompts)")
            .AppendLine();
        if (best.TotalCostUsd == 0)
        {
            text.AppendLine(
                CultureInfo.InvariantCulture,
                $"- Not applicable: shares of {best.Label}'s cost are undefined, since it costs nothing.");
        }
        else
        {
            text.AppendLine(Target(bandits, best, 0.95, 0.20))
                .AppendLine(Target(bandits, best, 1.00, 0.50));
        }

        text.AppendLine();
        if (curvePath is null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Plot: {frontierPath} (held-out accuracy vs cost).");
            return text.ToString();
        }

        text.AppendLine("### Cold start (cumulative accuracy and cost as requests go by)")
            .AppendLine()
            .AppendLine("| Requests | " + string.Join(" | ", curves.Select(c => $"{c.Label} acc | {c.Label} $/1k")) + " |")
            .AppendLine("|---:|" + string.Concat(Enumerable.Repeat("---:|---:|", curves.Count)));
        // About ten rows, and always the last point: the whole stream.
        int points = curves[0].Curve.Count;
        int step = Math.Max(1, points / 10);
        for (int i = 0; i < points; i = i == points - 1 ? points : Math.Min(i + step, points - 1))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {curves[0].Curve[i].Requests} |");
            foreach (ReplayRunResult curve in curves)
            {
                ReplayCurvePoint p = curve.Curve[Math.Min(i, curve.Curve.Count - 1)];
                text.Append(CultureInfo.InvariantCulture, $" {p.Accuracy:0.000} | {p.CostUsd * 1000 / p.Requests:0.000} |");
            }

            text.AppendLine();
        }

        text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Plots: {frontierPath} (held-out accuracy vs cost), " +
                $"{curvePath} (cold-start curve).");
        return text.ToString();
    }

    private static string Target(List<ReplayRunResult> bandits, ReplayRunResult best, double accuracyShare, double costShare)
    {
        double RelativeCost(ReplayRunResult r) => (double)(r.TotalCostUsd / best.TotalCostUsd);
        ReplayRunResult? met = bandits
            .Where(r => r.Accuracy >= accuracyShare * best.Accuracy && RelativeCost(r) <= costShare)
            .OrderBy(RelativeCost)
            .FirstOrDefault();
        string goal = $"- at least {accuracyShare:P0} of {best.Label}'s accuracy at no more than {costShare:P0} of its cost: ";
        if (met is not null)
        {
            return goal + $"**met** by {met.Label} ({met.Accuracy / best.Accuracy:P3} at {RelativeCost(met):P1}).";
        }

        ReplayRunResult? cheapestReaching = bandits
            .Where(r => r.Accuracy >= accuracyShare * best.Accuracy)
            .OrderBy(RelativeCost)
            .FirstOrDefault();
        ReplayRunResult? closest = bandits
            .Where(r => RelativeCost(r) <= costShare)
            .OrderByDescending(r => r.Accuracy)
            .FirstOrDefault();
        string within = closest is null
            ? string.Empty
            : $" Within the cost, the most accurate is {closest.Label} " +
                $"with {closest.Accuracy / best.Accuracy:P3} of the accuracy.";
        return goal + "**not met**." + within + (cheapestReaching is null
            ? " No setting reaches that accuracy."
            : $" The cheapest setting reaching the accuracy is {cheapestReaching.Label} " +
                $"at {RelativeCost(cheapestReaching):P1} of the cost.");
    }
}

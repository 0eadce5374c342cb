namespace MetaModel.Replay;

/// <summary>Routing baselines computed directly from recorded outcomes, without a router.</summary>
public static class ReplayBaselines
{
    /// <summary>
    /// The per-task best-model rule: for each task, the model most accurate on <paramref name="train"/> answers every
    /// prompt of that task in <paramref name="heldOut"/> (ties go to the cheaper model).
    /// </summary>
    /// <param name="train">The prompts the rule is chosen on.</param>
    /// <param name="heldOut">The prompts the rule is scored on.</param>
    /// <param name="label">The result's label.</param>
    /// <returns>
    /// What the rule earns on <paramref name="heldOut"/>; a task unseen in training uses the overall best model.
    /// </returns>
    public static ReplayRunResult PerTaskBestModel(
        ReplayDataset train,
        ReplayDataset heldOut,
        string label = "per-task best model")
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(heldOut);

        string overall = BestModel(train.Prompts);
        var ruleByTask = train.Prompts
            .GroupBy(p => p.Task, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => BestModel(g), StringComparer.Ordinal);

        double scoreSum = 0;
        decimal cost = 0;
        var choices = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (ReplayPrompt prompt in heldOut.Prompts)
        {
            string model = ruleByTask.GetValueOrDefault(prompt.Task, overall);
            if (prompt.Outcomes.TryGetValue(model, out ReplayOutcome? outcome))
            {
                scoreSum += outcome.Score ?? 0;
                cost += outcome.CostUsd;
            }

            choices[model] = choices.GetValueOrDefault(model) + 1;
        }

        return new ReplayRunResult(label, heldOut.Prompts.Count, 0, scoreSum, cost, 0, choices, [], TimeSpan.Zero);
    }

    /// <summary>Describes the rule <see cref="PerTaskBestModel"/> chooses: which model answers which task.</summary>
    /// <param name="train">The prompts the rule is chosen on.</param>
    /// <returns>The model of each task.</returns>
    public static IReadOnlyDictionary<string, string> PerTaskRule(ReplayDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return train.Prompts
            .GroupBy(p => p.Task, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => BestModel(g), StringComparer.Ordinal);
    }

    private static string BestModel(IEnumerable<ReplayPrompt> prompts)
    {
        var totals = new Dictionary<string, (double Score, decimal Cost)>(StringComparer.Ordinal);
        foreach (ReplayPrompt prompt in prompts)
        {
            foreach ((string model, ReplayOutcome outcome) in prompt.Outcomes)
            {
                (double score, decimal cost) = totals.GetValueOrDefault(model);
                totals[model] = (score + (outcome.Score ?? 0), cost + outcome.CostUsd);
            }
        }

        return totals
            .OrderByDescending(t => t.Value.Score)
            .ThenBy(t => t.Value.Cost)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .First().Key;
    }
}

using System.Globalization;
using MetaModel.Candidates;
using MetaModel.Resilience;
using MetaModel.Routing;

namespace MetaModel;

/// <summary>Finds every problem of a metamodel's configuration, so that all are reported at once.</summary>
internal static class ConfigurationValidator
{
    /// <summary>
    /// The highest price accepted, in USD per million tokens (one dollar a token): any token count a provider can
    /// report, times this, still fits a <see cref="decimal"/>.
    /// </summary>
    public const decimal MaxPricePerMillion = 1_000_000m;

    public static string DuplicateIdProblem(string id) => $"Candidate id '{id}' is used more than once; ids must be unique.";

    public static List<string> Validate(
        IReadOnlyList<IModelCandidate?> candidates,
        MetaModelOptions options,
        IPromptFeaturizer? featurizer)
    {
        var problems = new List<string>(options.Validate());
        if (candidates.Count == 0)
        {
            problems.Add("No candidates are configured; add at least one model candidate.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < candidates.Count; i++)
        {
            IModelCandidate? candidate = candidates[i];
            if (candidate is null)
            {
                problems.Add($"Candidate #{i + 1} is null.");
                continue;
            }

            string name = string.IsNullOrWhiteSpace(candidate.Id) ? $"#{i + 1}" : $"'{candidate.Id}'";
            if (string.IsNullOrWhiteSpace(candidate.Id))
            {
                problems.Add($"Candidate #{i + 1} has an empty id.");
            }
            else if (!seen.Add(candidate.Id))
            {
                problems.Add(DuplicateIdProblem(candidate.Id));
            }
            else if (string.Equals(candidate.Id, options.Name, StringComparison.Ordinal))
            {
                problems.Add($"Candidate id '{candidate.Id}' is the metamodel's own name; choose another id.");
            }

            if (candidate.Client is null)
            {
                problems.Add($"Candidate {name} has no chat client.");
            }

            if (candidate.Pricing.InputPerMillion < 0 || candidate.Pricing.OutputPerMillion < 0)
            {
                problems.Add(
                    $"Candidate {name} has a negative price (input {candidate.Pricing.InputPerMillion}, output " +
                    $"{candidate.Pricing.OutputPerMillion} USD per million tokens); prices must be zero or more.");
            }

            if (candidate.Pricing.InputPerMillion > MaxPricePerMillion || candidate.Pricing.OutputPerMillion > MaxPricePerMillion)
            {
                // Token counts times such a price overflow a decimal, and every request the candidate answers fails.
                problems.Add(
                    $"Candidate {name} has a price above {MaxPricePerMillion.ToString("N0", CultureInfo.InvariantCulture)} " +
                    $"USD per million tokens (input {candidate.Pricing.InputPerMillion}, output " +
                    $"{candidate.Pricing.OutputPerMillion}); prices are in USD per million tokens.");
            }

            if (candidate.ContextWindow <= 0)
            {
                problems.Add($"Candidate {name} has a context window of {candidate.ContextWindow}; it must be positive.");
            }

            if (candidate.Energy is { } energy &&
                !(IsEnergy(energy.WattHoursPerThousandInputTokens) && IsEnergy(energy.WattHoursPerThousandOutputTokens)))
            {
                // A negative, NaN or infinite figure would turn every energy and emissions total into nonsense.
                problems.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "Candidate {0} has an energy profile of {1} Wh per thousand input tokens and {2} Wh per thousand " +
                    "output tokens; both must be finite and zero or more.",
                    name,
                    energy.WattHoursPerThousandInputTokens,
                    energy.WattHoursPerThousandOutputTokens));
            }
        }

        if (options.Failover is not null)
        {
            FallbackValidator.Validate(candidates, options.Failover, problems);
        }

        if (featurizer is not null && featurizer.Dimension <= 0)
        {
            problems.Add($"The prompt featurizer has dimension {featurizer.Dimension}; it must be positive.");
        }

        // The feedback ledger keeps every decision's features in one array, which cannot hold more than
        // Array.MaxLength values: a capacity beyond that would fail requests once the ledger grew to it.
        long valuesPerDecision = Math.Max(1, featurizer?.Dimension ?? 0);
        if (options.FeedbackCapacity > 0 && options.FeedbackCapacity * valuesPerDecision > Array.MaxLength)
        {
            problems.Add(
                $"FeedbackCapacity {options.FeedbackCapacity} times the featurizer's dimension {valuesPerDecision} " +
                $"exceeds the {Array.MaxLength} features the feedback ledger can keep; lower FeedbackCapacity to at most " +
                $"{Array.MaxLength / valuesPerDecision}.");
        }

        return problems;
    }

    private static bool IsEnergy(double wattHours) => double.IsFinite(wattHours) && wattHours >= 0;
}

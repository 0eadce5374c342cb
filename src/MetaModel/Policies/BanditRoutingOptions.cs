using MetaModel.Scoring;

namespace MetaModel.Policies;

/// <summary>Settings of the <see cref="BanditRoutingPolicy"/>.</summary>
public sealed class BanditRoutingOptions
{
    /// <summary>Gets or sets how much the expected cost counts against the expected quality.</summary>
    /// <value>
    /// The weight λ of a candidate's cost predicted for the prompt, relative to the dearest eligible candidate's mean
    /// cost: 0 ignores cost, 0.1 means that on a prompt of typical size the dearest candidate must be expected to
    /// score 0.1 higher than a free one to be chosen (more on a longer prompt, less on a shorter one). When
    /// <see cref="TargetCostPerRequestUsd"/> is set, this is the starting value that pacing adapts, unless a warm
    /// start calibrates one from history. The default is 0.1.
    /// </value>
    public double CostWeight { get; set; } = 0.1;

    /// <summary>Gets or sets how much the expected latency counts against the expected quality.</summary>
    /// <value>The weight μ of a candidate's mean latency relative to the slowest eligible candidate's. The default is 0.</value>
    public double LatencyWeight { get; set; }

    /// <summary>Gets or sets a target mean cost per answered request, in US dollars, that the cost weight is paced to.</summary>
    /// <value>
    /// <see langword="null"/> (the default) keeps <see cref="CostWeight"/> fixed. When set, every answered request
    /// moves λ by <see cref="PacingStepSize"/> × (cost − target) / target, never below 0.
    /// </value>
    public double? TargetCostPerRequestUsd { get; set; }

    /// <summary>Gets or sets the step of the cost-weight pacing.</summary>
    /// <value>A positive number; the default is 0.01.</value>
    public double PacingStepSize { get; set; } = 0.01;

    /// <summary>Gets or sets the quality a candidate is expected to have before anything is known of it.</summary>
    /// <value>
    /// A number from 0 to 1; the default is 0.5. Each candidate's quality model learns the difference from this
    /// value, so a candidate that has not been tried, or not on prompts like this one, is expected to be average
    /// rather than useless, and the first candidate that does well does not lock the others out.
    /// </value>
    public double PriorQuality { get; set; } = 0.5;

    /// <summary>Gets or sets the exploration weight α of the uncertainty term.</summary>
    /// <value>
    /// A finite non-negative number; 0 is greedy. The default is 0.5: quality lies in [0, 1] and an untried candidate
    /// starts with an uncertainty near 1, so a smaller weight lets the first good candidate lock the others out.
    /// </value>
    public double Exploration { get; set; } = 0.5;

    /// <summary>Gets or sets the exploration strategy.</summary>
    /// <value>The default is <see cref="ExplorationStrategy.UpperConfidenceBound"/>.</value>
    public ExplorationStrategy Strategy { get; set; } = ExplorationStrategy.UpperConfidenceBound;

    /// <summary>Gets or sets the ridge prior λ₀ of every candidate's quality model.</summary>
    /// <value>A number from 10⁻⁶ to 10⁶; the default is 1.</value>
    public double RidgePrior { get; set; } = 1;

    /// <summary>Gets or sets the forgetting factor γ, for quality that drifts over time.</summary>
    /// <value>A number from 0.5 to 1; 1 (the default) keeps all history.</value>
    public double ForgettingFactor { get; set; } = 1;

    /// <summary>Gets or sets the reduced model dimension for large feature vectors, or 0 to model them directly.</summary>
    /// <value>The default is 0.</value>
    public int ReducedDimension { get; set; }

    /// <summary>Gets or sets the seed of Thompson sampling, for reproducible decisions.</summary>
    /// <value>The default is <see langword="null"/> (unseeded).</value>
    public long? Seed { get; set; }

    /// <summary>Gets or sets the completion length assumed to estimate a cost from list prices before one is observed.</summary>
    /// <value>The default is 256 tokens.</value>
    public int AssumedOutputTokens { get; set; } = 256;

    /// <summary>Checks the settings and lists every problem.</summary>
    /// <returns>The problems; empty when the settings are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Check(double.IsFinite(CostWeight) && CostWeight >= 0, $"CostWeight must be finite and zero or more (was {CostWeight}).");
        Check(
            double.IsFinite(LatencyWeight) && LatencyWeight >= 0,
            $"LatencyWeight must be finite and zero or more (was {LatencyWeight}).");
        Check(
            TargetCostPerRequestUsd is null || (double.IsFinite(TargetCostPerRequestUsd.Value) && TargetCostPerRequestUsd > 0),
            $"TargetCostPerRequestUsd must be positive (was {TargetCostPerRequestUsd}).");
        Check(double.IsFinite(PacingStepSize) && PacingStepSize > 0, $"PacingStepSize must be positive (was {PacingStepSize}).");
        Check(
            double.IsFinite(Exploration) && Exploration >= 0,
            $"Exploration must be finite and zero or more (was {Exploration}).");
        Check(
            Enum.IsDefined(Strategy),
            $"Strategy must be {nameof(ExplorationStrategy.UpperConfidenceBound)} or " +
            $"{nameof(ExplorationStrategy.ThompsonSampling)} (was {Strategy}).");
        Check(PriorQuality is >= 0 and <= 1, $"PriorQuality must be from 0 to 1 (was {PriorQuality}).");
        Check(
            RidgePrior is >= ContextualBanditScorer.MinimumRidgePrior and <= ContextualBanditScorer.MaximumRidgePrior,
            $"RidgePrior must be from {ContextualBanditScorer.MinimumRidgePrior:0.#####E+0} to " +
            $"{ContextualBanditScorer.MaximumRidgePrior:0.#####E+0} (was {RidgePrior}).");
        Check(
            ForgettingFactor is >= ContextualBanditScorer.MinimumForgettingFactor and <= 1,
            $"ForgettingFactor must be from {ContextualBanditScorer.MinimumForgettingFactor} to 1 (was {ForgettingFactor}).");
        Check(ReducedDimension >= 0, $"ReducedDimension must be zero or more (was {ReducedDimension}).");
        Check(AssumedOutputTokens >= 0, $"AssumedOutputTokens must be zero or more (was {AssumedOutputTokens}).");
        return problems;

        void Check(bool valid, string problem)
        {
            if (!valid)
            {
                problems.Add(problem);
            }
        }
    }
}

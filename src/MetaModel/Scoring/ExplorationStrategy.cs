namespace MetaModel.Scoring;

/// <summary>How a <see cref="ContextualBanditScorer"/> turns an arm's estimate and uncertainty into a score.</summary>
public enum ExplorationStrategy
{
    /// <summary>
    /// LinUCB: score = θₖ·x + α·√(xᵀAₖ⁻¹x), deterministic for a given state.
    /// </summary>
    UpperConfidenceBound = 0,

    /// <summary>
    /// Linear Thompson sampling with one scalar draw per arm and decision:
    /// score = θₖ·x + α·√(xᵀAₖ⁻¹x)·z with z ~ N(0, 1) from the scorer's seeded generator.
    /// </summary>
    /// <remarks>
    /// Drawing one scalar per arm samples the arm's posterior predictive mean at x exactly, which is all a
    /// decision needs, at the cost of the UCB score instead of a d-dimensional posterior draw.
    /// </remarks>
    ThompsonSampling = 1,
}

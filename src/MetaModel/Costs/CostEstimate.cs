namespace MetaModel.Costs;

/// <summary>The cost of one call and how it was obtained.</summary>
/// <param name="Usd">The cost in US dollars.</param>
/// <param name="IsEstimated">
/// <see langword="true"/> when the cost was estimated from text lengths (or the provider itself reported an estimate)
/// rather than computed from reported token counts or billed.
/// </param>
/// <param name="InputTokens">The prompt tokens the cost was computed from.</param>
/// <param name="OutputTokens">The completion tokens the cost was computed from.</param>
public readonly record struct CostEstimate(decimal Usd, bool IsEstimated, long InputTokens, long OutputTokens);

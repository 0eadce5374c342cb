namespace MetaModel.Candidates;

/// <summary>The list prices of a candidate model, in US dollars per million tokens.</summary>
/// <param name="InputPerMillion">The price of one million prompt (input) tokens.</param>
/// <param name="OutputPerMillion">The price of one million completion (output) tokens.</param>
/// <remarks>Prices are <see cref="decimal"/> so that sums over millions of requests stay exact.</remarks>
public readonly record struct ModelPricing(decimal InputPerMillion, decimal OutputPerMillion)
{
    /// <summary>Gets a price of zero for both directions, as for a self-hosted model billed elsewhere.</summary>
    public static ModelPricing Free => default;

    /// <summary>Computes the cost of a call with the given token counts.</summary>
    /// <param name="inputTokens">The prompt tokens.</param>
    /// <param name="outputTokens">The completion tokens.</param>
    /// <returns>The cost in US dollars: input × input price / 10⁶ + output × output price / 10⁶.</returns>
    public decimal CostOf(long inputTokens, long outputTokens) =>
        ((inputTokens * InputPerMillion) + (outputTokens * OutputPerMillion)) / 1_000_000m;
}

using MetaModel.Candidates;
using MetaModel.Routing;
using Microsoft.Extensions.AI;

namespace MetaModel.Costs;

/// <summary>Computes what a call cost, the same way for streamed and non-streamed calls.</summary>
/// <remarks>
/// <para>The rules, in order:</para>
/// <list type="number">
/// <item>A positive cost the provider reported (<see cref="MetaModelPropertyNames.ReportedCostUsd"/>) is used as is.</item>
/// <item>Otherwise reported token counts × the candidate's prices; a reported cost of zero is ignored, since
/// providers report zero when they do not know.</item>
/// <item>Otherwise tokens estimated from the prompt and the answer text × prices, marked as estimated.</item>
/// </list>
/// </remarks>
public static class CostCalculator
{
    /// <summary>Computes the cost of one answered call.</summary>
    /// <param name="candidate">The candidate that answered.</param>
    /// <param name="usage">The usage the candidate reported, or <see langword="null"/>.</param>
    /// <param name="reportedProperties">The response's additional properties, which may carry a reported cost.</param>
    /// <param name="estimatedInputTokens">The estimated prompt tokens, used when usage lacks input tokens.</param>
    /// <param name="outputCharacters">The length of the answer text, used when usage lacks output tokens.</param>
    /// <returns>The cost and how it was obtained.</returns>
    public static CostEstimate Compute(
        IModelCandidate candidate,
        UsageDetails? usage,
        AdditionalPropertiesDictionary? reportedProperties,
        int estimatedInputTokens,
        long outputCharacters)
    {
        ArgumentNullException.ThrowIfNull(candidate);

        bool inputReported = usage?.InputTokenCount is > 0;
        bool outputReported = usage?.OutputTokenCount is >= 0 && inputReported;
        long input = inputReported ? usage!.InputTokenCount!.Value : estimatedInputTokens;
        long output = outputReported
            ? usage!.OutputTokenCount!.Value
            : TokenEstimator.ForCharacterCount(outputCharacters);

        if (TryReadReportedCost(reportedProperties, out decimal reported, out bool reportedIsEstimate) && reported > 0)
        {
            return new CostEstimate(reported, reportedIsEstimate, input, output);
        }

        decimal usd = candidate.Pricing.CostOf(input, output);
        return new CostEstimate(usd, IsEstimated: !(inputReported && outputReported), input, output);
    }

    private static bool TryReadReportedCost(
        AdditionalPropertiesDictionary? properties,
        out decimal cost,
        out bool isEstimate)
    {
        cost = 0;
        isEstimate = false;
        if (properties is null || !properties.TryGetValue(MetaModelPropertyNames.ReportedCostUsd, out object? value))
        {
            return false;
        }

        switch (value)
        {
            case decimal d:
                cost = d;
                break;
            case double f when double.IsFinite(f) && f >= 0:
                cost = ToDecimal(f);
                break;
            case float f when float.IsFinite(f) && f >= 0:
                cost = ToDecimal(f);
                break;
            default:
                return false;
        }

        isEstimate = properties.TryGetValue(MetaModelPropertyNames.ReportedCostIsEstimated, out object? flag) && flag is true;
        return true;
    }

    /// <summary>
    /// Converts a reported cost to a decimal, saturating at <see cref="decimal.MaxValue"/>: a cost beyond that
    /// (a provider's billing error) is still recorded as an enormous cost, and the answer it came with is kept.
    /// </summary>
    private static decimal ToDecimal(double cost) => cost < (double)decimal.MaxValue ? (decimal)cost : decimal.MaxValue;
}

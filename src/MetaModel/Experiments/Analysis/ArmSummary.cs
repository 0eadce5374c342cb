namespace MetaModel.Experiments.Analysis;

/// <summary>What one arm of an experiment got: traffic, errors, quality, cost and latency.</summary>
/// <param name="Arm">The arm's name.</param>
/// <param name="Requests">The decisions assigned to the arm.</param>
/// <param name="Outcomes">The requests of the arm that have an outcome.</param>
/// <param name="Errors">The outcomes that did not succeed.</param>
/// <param name="QualitySamples">The requests with a quality score (the first score of each decision counts).</param>
/// <param name="QualityMean">The mean quality; NaN without scores.</param>
/// <param name="QualityLow">The lower end of the mean's t confidence interval; NaN with fewer than two scores.</param>
/// <param name="QualityHigh">The upper end of the interval; NaN with fewer than two scores.</param>
/// <param name="TotalCostUsd">The summed cost of the arm's outcomes.</param>
/// <param name="LatencyP50">The median request duration; zero without outcomes.</param>
/// <param name="LatencyP95">The 95th percentile of request duration (linear interpolation); zero without outcomes.</param>
public sealed record ArmSummary(
    string Arm,
    int Requests,
    int Outcomes,
    int Errors,
    int QualitySamples,
    double QualityMean,
    double QualityLow,
    double QualityHigh,
    decimal TotalCostUsd,
    TimeSpan LatencyP50,
    TimeSpan LatencyP95)
{
    /// <summary>Gets the share of outcomes that failed; NaN without outcomes.</summary>
    public double ErrorRate => Outcomes == 0 ? double.NaN : (double)Errors / Outcomes;

    /// <summary>Gets the mean cost per outcome in US dollars; zero without outcomes.</summary>
    public decimal MeanCostUsd => Outcomes == 0 ? 0 : TotalCostUsd / Outcomes;
}

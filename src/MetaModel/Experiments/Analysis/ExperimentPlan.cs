namespace MetaModel.Experiments.Analysis;

/// <summary>Plans a fixed-horizon experiment: how many quality scores each arm needs.</summary>
public static class ExperimentPlan
{
    /// <summary>Computes the scores per arm for a two-sided test of a difference of means.</summary>
    /// <param name="minimumDetectableEffect">The smallest difference worth detecting, in quality units; positive.</param>
    /// <param name="standardDeviation">The expected standard deviation of one score (0.5 for 0/1 scores at 50%).</param>
    /// <param name="alpha">The significance level, in (0, 1).</param>
    /// <param name="power">The chance of detecting a true difference of that size, in (0, 1).</param>
    /// <returns>n = ⌈2 (z₁₋α/₂ + z_power)² σ² / δ²⌉, the normal-approximation sample size per arm.</returns>
    public static int SamplesPerArm(
        double minimumDetectableEffect,
        double standardDeviation,
        double alpha = 0.05,
        double power = 0.8)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimumDetectableEffect);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(standardDeviation);
        if (alpha is <= 0 or >= 1 || power is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), "Alpha and power must lie strictly between 0 and 1.");
        }

        double z = Statistics.Distributions.NormalQuantile(1 - (alpha / 2)) + Statistics.Distributions.NormalQuantile(power);
        double n = 2 * z * z * standardDeviation * standardDeviation / (minimumDetectableEffect * minimumDetectableEffect);
        return (int)Math.Ceiling(n);
    }
}

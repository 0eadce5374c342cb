namespace MetaModel.Experiments.Statistics;

/// <summary>The standard normal and Student's t distributions: distribution functions and quantiles.</summary>
internal static class Distributions
{
    /// <summary>Computes Φ(z), the standard normal distribution function.</summary>
    public static double NormalCdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2));

    /// <summary>Computes Φ⁻¹(p) for p in (0, 1), by bisection to 1e-12.</summary>
    public static double NormalQuantile(double p) => Invert(NormalCdf, p);

    /// <summary>Computes P(T ≤ t) for Student's t with <paramref name="degreesOfFreedom"/> (may be fractional).</summary>
    public static double StudentCdf(double t, double degreesOfFreedom)
    {
        double tail = 0.5 * SpecialFunctions.RegularizedIncompleteBeta(
            degreesOfFreedom / 2,
            0.5,
            degreesOfFreedom / (degreesOfFreedom + (t * t)));
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>Computes P(|T| ≥ |t|), the two-sided p-value of a t statistic.</summary>
    public static double StudentTwoSidedP(double t, double degreesOfFreedom) =>
        double.IsNaN(t) ? double.NaN
        : SpecialFunctions.RegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, degreesOfFreedom / (degreesOfFreedom + (t * t)));

    /// <summary>Computes the t value below which a fraction <paramref name="p"/> of the distribution lies.</summary>
    public static double StudentQuantile(double p, double degreesOfFreedom) =>
        Invert(t => StudentCdf(t, degreesOfFreedom), p);

    // Bisection on a continuous increasing distribution function; brackets widen until they hold p.
    private static double Invert(Func<double, double> cdf, double p)
    {
        if (p <= 0 || p >= 1 || double.IsNaN(p))
        {
            return p == 0 ? double.NegativeInfinity : p == 1 ? double.PositiveInfinity : double.NaN;
        }

        double low = -1;
        double high = 1;
        while (cdf(low) > p)
        {
            low *= 2;
        }

        while (cdf(high) < p)
        {
            high *= 2;
        }

        for (int i = 0; i < 200 && high - low > 1e-12 * Math.Max(1, Math.Abs(low)); i++)
        {
            double middle = 0.5 * (low + high);
            if (cdf(middle) < p)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return 0.5 * (low + high);
    }
}

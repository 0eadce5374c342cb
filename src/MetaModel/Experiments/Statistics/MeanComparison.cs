namespace MetaModel.Experiments.Statistics;

/// <summary>The tests that compare two arms' means: Welch's t-test and the always-valid mixture SPRT.</summary>
internal static class MeanComparison
{
    /// <summary>Welch's unequal-variance t-test of mean(b) − mean(a), with its confidence interval.</summary>
    /// <returns>The difference, its interval at 1 − <paramref name="alpha"/>, t, the Welch–Satterthwaite degrees of
    /// freedom and the two-sided p-value; NaN everywhere when an arm has fewer than two values.</returns>
    public static (double Difference, double Low, double High, double T, double DegreesOfFreedom, double P) Welch(
        RunningMoments a,
        RunningMoments b,
        double alpha)
    {
        double difference = b.Mean - a.Mean;
        if (a.Count < 2 || b.Count < 2)
        {
            return (difference, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double va = a.Variance / a.Count;
        double vb = b.Variance / b.Count;
        double se = Math.Sqrt(va + vb);
        if (se == 0)
        {
            // Both arms constant: the difference is exact.
            return (difference, difference, difference, double.NaN, double.NaN, difference == 0 ? 1 : 0);
        }

        double df = (va + vb) * (va + vb) / ((va * va / (a.Count - 1)) + (vb * vb / (b.Count - 1)));
        double t = difference / se;
        double margin = Distributions.StudentQuantile(1 - (alpha / 2), df) * se;
        return (difference, difference - margin, difference + margin, t, df, Distributions.StudentTwoSidedP(t, df));
    }

    /// <summary>
    /// The mixture likelihood ratio Λ of the normal mixture SPRT for a difference of means:
    /// Λ = √(V / (V + τ²)) · exp(θ̂² τ² / (2 V (V + τ²))), with θ̂ = mean(b) − mean(a)
    /// and V = s²ₐ/nₐ + s²ᵦ/nᵦ.
    /// </summary>
    /// <returns>Λ, or NaN when V is not positive.</returns>
    public static double MixtureLikelihoodRatio(RunningMoments a, RunningMoments b, double tau)
    {
        double v = (a.Variance / a.Count) + (b.Variance / b.Count);
        if (!(v > 0))
        {
            return double.NaN;
        }

        double theta = b.Mean - a.Mean;
        double tau2 = tau * tau;
        return Math.Sqrt(v / (v + tau2)) * Math.Exp(theta * theta * tau2 / (2 * v * (v + tau2)));
    }

    /// <summary>The two-sided p-value of a two-proportion z-test with pooled variance.</summary>
    public static double TwoProportionP(long successesA, long countA, long successesB, long countB)
    {
        if (countA == 0 || countB == 0)
        {
            return double.NaN;
        }

        double pooled = (double)(successesA + successesB) / (countA + countB);
        if (pooled is 0 or 1)
        {
            return 1;
        }

        double z = (((double)successesB / countB) - ((double)successesA / countA)) /
            Math.Sqrt(pooled * (1 - pooled) * ((1.0 / countA) + (1.0 / countB)));
        return 2 * (1 - Distributions.NormalCdf(Math.Abs(z)));
    }
}

namespace MetaModel.Experiments.Statistics;

/// <summary>The special functions behind the t and normal distributions.</summary>
internal static class SpecialFunctions
{
    // Lanczos approximation, g = 7, nine terms: relative error below 1e-15 for positive arguments.
    private static readonly double[] s_lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>Computes ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        double sum = s_lanczos[0];
        for (int i = 1; i < s_lanczos.Length; i++)
        {
            sum += s_lanczos[i] / (x + i);
        }

        double t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    /// <summary>Computes the regularized incomplete beta function I_x(a, b) for a, b &gt; 0 and x in [0, 1].</summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        double logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(1 - x));

        // The continued fraction converges fast for x below (a + 1) / (a + b + 2); use symmetry above it.
        return x < (a + 1) / (a + b + 2)
            ? Math.Exp(logFront) * BetaFraction(a, b, x) / a
            : 1 - (Math.Exp(logFront) * BetaFraction(b, a, 1 - x) / b);
    }

    /// <summary>Computes the complementary error function erfc(x).</summary>
    /// <remarks>A Chebyshev-fitted exponential form with fractional error below 1.2e-7 everywhere.</remarks>
    public static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + (0.5 * z));
        double poly = -z * z - 1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 +
            (t * (-0.18628806 + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 +
            (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        double result = t * Math.Exp(poly);
        return x >= 0 ? result : 2 - result;
    }

    // Modified Lentz evaluation of the continued fraction for the incomplete beta function.
    private static double BetaFraction(double a, double b, double x)
    {
        const double Tiny = 1e-300;
        const double Epsilon = 1e-15;
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - (qab * x / qap);
        d = Math.Abs(d) < Tiny ? Tiny : d;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 300; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            h *= d * c;

            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return h;
    }
}

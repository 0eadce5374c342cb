namespace MetaModel.Experiments.Analysis;

/// <summary>One arm's quality compared with the control's, with the verdict and the test that gave it.</summary>
/// <param name="Arm">The compared arm.</param>
/// <param name="Control">The control arm.</param>
/// <param name="QualityDifference">mean(arm) − mean(control); NaN when either has no score.</param>
/// <param name="DifferenceLow">The lower end of Welch's confidence interval of the difference.</param>
/// <param name="DifferenceHigh">The upper end of that interval.</param>
/// <param name="WelchT">Welch's t statistic.</param>
/// <param name="WelchDegreesOfFreedom">The Welch–Satterthwaite degrees of freedom.</param>
/// <param name="WelchP">The two-sided p-value of Welch's test, valid only when looked at once, at the planned horizon.</param>
/// <param name="AlwaysValidP">The always-valid p-value of the mixture SPRT, valid at every look; 1 before the burn-in.</param>
/// <param name="HorizonReached">Whether both arms have the planned number of scores.</param>
/// <param name="Method">The test the verdict comes from.</param>
/// <param name="Significant">Whether the verdict is a difference, at the analysis' alpha.</param>
/// <param name="ErrorRateP">The two-sided p-value of a two-proportion z-test of the error rates (descriptive).</param>
public sealed record ArmComparison(
    string Arm,
    string Control,
    double QualityDifference,
    double DifferenceLow,
    double DifferenceHigh,
    double WelchT,
    double WelchDegreesOfFreedom,
    double WelchP,
    double AlwaysValidP,
    bool HorizonReached,
    string Method,
    bool Significant,
    double ErrorRateP);

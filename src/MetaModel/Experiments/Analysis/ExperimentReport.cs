using System.Globalization;
using System.Text;

namespace MetaModel.Experiments.Analysis;

/// <summary>The analysis of one experiment: a summary per arm and each arm compared with the control.</summary>
public sealed class ExperimentReport
{
    internal ExperimentReport(
        string experimentId,
        string controlArm,
        ExperimentAnalysisOptions options,
        IReadOnlyList<ArmSummary> arms,
        IReadOnlyList<ArmComparison> comparisons)
    {
        ExperimentId = experimentId;
        ControlArm = controlArm;
        Alpha = options.Alpha;
        PlannedSamplesPerArm = options.PlannedSamplesPerArm;
        MixtureScale = options.MixtureScale;
        Arms = arms;
        Comparisons = comparisons;
    }

    /// <summary>Gets the experiment's id.</summary>
    public string ExperimentId { get; }

    /// <summary>Gets the control arm.</summary>
    public string ControlArm { get; }

    /// <summary>Gets the significance level used.</summary>
    public double Alpha { get; }

    /// <summary>Gets the planned quality scores per arm, or <see langword="null"/> without a fixed horizon.</summary>
    public int? PlannedSamplesPerArm { get; }

    /// <summary>Gets τ of the sequential test.</summary>
    public double MixtureScale { get; }

    /// <summary>Gets the arms, the control first.</summary>
    public IReadOnlyList<ArmSummary> Arms { get; }

    /// <summary>Gets each non-control arm compared with the control.</summary>
    public IReadOnlyList<ArmComparison> Comparisons { get; }

    /// <summary>Formats the report as two Markdown tables and a sentence on the method.</summary>
    /// <returns>The Markdown text.</returns>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        string level = F(1 - Alpha, "0.##%");
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"| arm | requests | errors | quality mean [{level} CI] | cost total (USD) | cost / request (USD) | p50 | p95 |")
            .AppendLine("|---|---:|---:|---|---:|---:|---:|---:|");
        foreach (ArmSummary arm in Arms)
        {
            string marker = arm.Arm == ControlArm ? " (control)" : string.Empty;
            text.AppendLine(
                CultureInfo.InvariantCulture,
                $"| {arm.Arm}{marker} | {arm.Requests} | {arm.Errors} ({F(arm.ErrorRate, "0.0%")}) | " +
                $"{F(arm.QualityMean, "0.000")} [{F(arm.QualityLow, "0.000")}, {F(arm.QualityHigh, "0.000")}] " +
                $"(n={arm.QualitySamples}) | {arm.TotalCostUsd.ToString("0.####", CultureInfo.InvariantCulture)} | " +
                $"{arm.MeanCostUsd.ToString("0.000000", CultureInfo.InvariantCulture)} | {Duration(arm.LatencyP50)} | " +
                $"{Duration(arm.LatencyP95)} |");
        }

        text.AppendLine()
            .AppendLine(
                CultureInfo.InvariantCulture,
                $"| arm vs {ControlArm} | Δ quality [{level} CI] | Welch t (df) | Welch p | always-valid p | error-rate p | " +
                $"verdict |")
            .AppendLine("|---|---|---|---:|---:|---:|---|");
        foreach (ArmComparison c in Comparisons)
        {
            string verdict = (c.Significant ? "**significant**" : "not significant") + " (" + c.Method + ")";
            text.AppendLine(
                CultureInfo.InvariantCulture,
                $"| {c.Arm} | {F(c.QualityDifference, "+0.000;-0.000;0.000")} [{F(c.DifferenceLow, "0.000")}, " +
                $"{F(c.DifferenceHigh, "0.000")}] | {F(c.WelchT, "0.00")} ({F(c.WelchDegreesOfFreedom, "0")}) | {P(c.WelchP)} " +
                $"| {P(c.AlwaysValidP)} | {P(c.ErrorRateP)} | {verdict} |");
        }

        string horizon = PlannedSamplesPerArm is { } planned
            ? $"a fixed horizon of {planned} quality scores per arm (Welch's t-test decides once both arms reach it; before, " +
                "the always-valid test decides)"
            : "no fixed horizon (the always-valid test decides)";
        text.AppendLine()
            .AppendLine(
                CultureInfo.InvariantCulture,
                $"alpha = {F(Alpha, "0.###")}, {horizon}; mixture SPRT with τ = {F(MixtureScale, "0.###")}.");
        return text.ToString();
    }

    private static string F(double value, string format) =>
        double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string P(double p) =>
        double.IsNaN(p) ? "–" : p < 0.0001 ? "<0.0001" : p.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan value) =>
        value.TotalMilliseconds >= 1
            ? value.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms"
            : (value.TotalMilliseconds * 1000).ToString("0", CultureInfo.InvariantCulture) + " µs";
}

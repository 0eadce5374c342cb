using System.Globalization;
using System.Text;

namespace MetaModel.Experiments.Analysis;

/// <summary>Draws an experiment report as an SVG: quality with confidence intervals, cost and latency per arm.</summary>
/// <remarks>
/// Three panels side by side, one row per arm: mean quality with its interval as a whisker (the control's mean as
/// a dashed line), cost per request as a bar, and p50 and p95 latency as a bar with a tick. The SVG has no scripts
/// and no external references.
/// </remarks>
public static class ExperimentPlot
{
    private const int PanelWidth = 260;
    private const int LabelWidth = 150;
    private const int RowHeight = 34;
    private const int Top = 60;
    private const int Gap = 30;

    /// <summary>Renders the report.</summary>
    /// <param name="report">The report.</param>
    /// <param name="title">The title; the experiment id when <see langword="null"/>.</param>
    /// <returns>The SVG document.</returns>
    public static string Render(ExperimentReport report, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        IReadOnlyList<ArmSummary> arms = report.Arms;
        int width = LabelWidth + (3 * (PanelWidth + Gap));
        int height = Top + (Math.Max(1, arms.Count) * RowHeight) + 50;

        var svg = new StringBuilder();
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" " +
            $"font-size=\"12\">\n")
           .Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
           .Append(
               CultureInfo.InvariantCulture,
               $"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" " +
               $"font-size=\"15\">{Escape(title ?? "Experiment " + report.ExperimentId)}</text>\n");

        double qualityMin =
            Math.Max(0, Math.Floor(Min(arms.Select(a => a.QualityLow).Concat(arms.Select(a => a.QualityMean))) * 10) / 10);
        double qualityMax =
            Math.Min(1, Math.Ceiling(Max(arms.Select(a => a.QualityHigh).Concat(arms.Select(a => a.QualityMean))) * 10) / 10);
        if (qualityMax <= qualityMin)
        {
            qualityMax = qualityMin + 0.1;
        }

        double costMax = Math.Max(1e-12, arms.Select(a => (double)a.MeanCostUsd).DefaultIfEmpty(0).Max());
        double latencyMax = Math.Max(1e-9, arms.Select(a => a.LatencyP95.TotalMilliseconds).DefaultIfEmpty(0).Max());

        int x0 = LabelWidth;
        int x1 = x0 + PanelWidth + Gap;
        int x2 = x1 + PanelWidth + Gap;
        Panel(
            svg,
            x0,
            $"quality mean, {(1 - report.Alpha) * 100:0.#}% CI",
            qualityMin.ToString("0.0", CultureInfo.InvariantCulture),
            qualityMax.ToString("0.0", CultureInfo.InvariantCulture),
            arms.Count);
        Panel(svg, x1, "cost per request (USD)", "0", costMax.ToString("0.#####", CultureInfo.InvariantCulture), arms.Count);
        Panel(
            svg,
            x2,
            "latency p50 (bar), p95 (tick), ms",
            "0",
            latencyMax.ToString("0.###", CultureInfo.InvariantCulture),
            arms.Count);

        double Q(double value) => x0 + ((value - qualityMin) / (qualityMax - qualityMin) * PanelWidth);
        ArmSummary? control = arms.FirstOrDefault(a => a.Arm == report.ControlArm);
        if (control is not null && !double.IsNaN(control.QualityMean))
        {
            double cx = Q(control.QualityMean);
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<line x1=\"{cx:0.#}\" y1=\"{Top}\" x2=\"{cx:0.#}\" y2=\"{Top + (arms.Count * RowHeight)}\" stroke=\"#999\" " +
                $"stroke-dasharray=\"4 3\"/>\n");
        }

        for (int i = 0; i < arms.Count; i++)
        {
            ArmSummary arm = arms[i];
            int y = Top + (i * RowHeight) + (RowHeight / 2);
            bool significant = report.Comparisons.Any(c => c.Arm == arm.Arm && c.Significant);
            string color = arm.Arm == report.ControlArm ? "#555" : significant ? "#d62728" : "#1f77b4";
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<text x=\"{LabelWidth - 10}\" y=\"{y + 4}\" text-anchor=\"end\">{Escape(arm.Arm)}</text>\n");

            if (!double.IsNaN(arm.QualityLow))
            {
                svg.Append(
                    CultureInfo.InvariantCulture,
                    $"<line x1=\"{Q(arm.QualityLow):0.#}\" y1=\"{y}\" x2=\"{Q(arm.QualityHigh):0.#}\" y2=\"{y}\" " +
                    $"stroke=\"{color}\" stroke-width=\"2\"/>\n");
            }

            if (!double.IsNaN(arm.QualityMean))
            {
                svg.Append(
                    CultureInfo.InvariantCulture,
                    $"<circle cx=\"{Q(arm.QualityMean):0.#}\" cy=\"{y}\" r=\"5\" fill=\"{color}\"/>\n");
            }

            double costWidth = (double)arm.MeanCostUsd / costMax * PanelWidth;
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<rect x=\"{x1}\" y=\"{y - 8}\" width=\"{costWidth:0.#}\" height=\"16\" fill=\"{color}\" opacity=\"0.8\"/>\n");

            double p50 = arm.LatencyP50.TotalMilliseconds / latencyMax * PanelWidth;
            double p95 = arm.LatencyP95.TotalMilliseconds / latencyMax * PanelWidth;
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<rect x=\"{x2}\" y=\"{y - 8}\" width=\"{p50:0.#}\" height=\"16\" fill=\"{color}\" opacity=\"0.8\"/>\n")
               .Append(
                   CultureInfo.InvariantCulture,
                   $"<line x1=\"{x2 + p95:0.#}\" y1=\"{y - 11}\" x2=\"{x2 + p95:0.#}\" y2=\"{y + 11}\" stroke=\"{color}\" " +
                   $"stroke-width=\"2\"/>\n");
        }

        int legendY = height - 15;
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<text x=\"{LabelWidth}\" y=\"{legendY}\" fill=\"#555\">grey: control ({Escape(report.ControlArm)}); red: " +
            $"significantly different quality; blue: not significant</text>\n")
           .Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, int x, string label, string from, string to, int rows)
    {
        int bottom = Top + (Math.Max(1, rows) * RowHeight);
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<rect x=\"{x}\" y=\"{Top}\" width=\"{PanelWidth}\" height=\"{bottom - Top}\" fill=\"none\" stroke=\"#333\"/>\n")
           .Append(
               CultureInfo.InvariantCulture,
               $"<text x=\"{x + (PanelWidth / 2)}\" y=\"{Top - 10}\" text-anchor=\"middle\">{Escape(label)}</text>\n")
           .Append(
               CultureInfo.InvariantCulture,
               $"<text x=\"{x}\" y=\"{bottom + 16}\" text-anchor=\"start\" fill=\"#555\">{from}</text>\n")
           .Append(
               CultureInfo.InvariantCulture,
               $"<text x=\"{x + PanelWidth}\" y=\"{bottom + 16}\" text-anchor=\"end\" fill=\"#555\">{to}</text>\n");
    }

    private static double Min(IEnumerable<double> values) => values.Where(v => !double.IsNaN(v)).DefaultIfEmpty(0).Min();

    private static double Max(IEnumerable<double> values) => values.Where(v => !double.IsNaN(v)).DefaultIfEmpty(1).Max();

    private static string Escape(string text) => SvgText.Escape(text);
}

using System.Globalization;
using System.Text;

namespace MetaModel.Replay;

/// <summary>Draws the cumulative accuracy of runs as requests go by, as an SVG line chart.</summary>
public static class LearningCurvePlot
{
    private const int Width = 1000;
    private const int Height = 500;
    private const int Left = 70;
    private const int Right = 330;
    private const int Top = 50;
    private const int Bottom = 60;

    private static readonly string[] s_palette = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#555555"];

    /// <summary>Renders the cumulative accuracy of each run against the number of requests.</summary>
    /// <param name="title">The title shown above the chart.</param>
    /// <param name="runs">The runs; each needs a recorded curve.</param>
    /// <returns>The SVG document.</returns>
    public static string Render(string title, IReadOnlyList<ReplayRunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(runs);

        int maxRequests = Math.Max(1, runs.SelectMany(r => r.Curve).Select(p => p.Requests).DefaultIfEmpty(1).Max());
        double minAccuracy = Math.Floor(runs.SelectMany(r => r.Curve).Select(p => p.Accuracy).DefaultIfEmpty(0).Min() * 10) / 10;
        double maxAccuracy =
            Math.Min(1, Math.Ceiling(runs.SelectMany(r => r.Curve).Select(p => p.Accuracy).DefaultIfEmpty(1).Max() * 10) / 10);
        if (maxAccuracy <= minAccuracy)
        {
            maxAccuracy = minAccuracy + 0.1;
        }

        double X(int requests) => Left + ((double)requests / maxRequests * (Width - Left - Right));
        double Y(double accuracy) =>
            Height - Bottom - ((accuracy - minAccuracy) / (maxAccuracy - minAccuracy) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" " +
            $"font-size=\"12\">\n")
           .Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
           .Append(
               CultureInfo.InvariantCulture,
               $"<text x=\"{Width / 2}\" y=\"28\" text-anchor=\"middle\" " +
               $"font-size=\"16\">{SvgText.Escape(title)}</text>\n");
        for (double a = minAccuracy; a <= maxAccuracy + 1e-9; a += 0.1)
        {
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<line x1=\"{Left}\" y1=\"{Y(a):0.#}\" x2=\"{Width - Right}\" y2=\"{Y(a):0.#}\" stroke=\"#eee\"/>\n")
               .Append(
                   CultureInfo.InvariantCulture,
                   $"<text x=\"{Left - 8}\" y=\"{Y(a) + 4:0.#}\" text-anchor=\"end\">{a:0.0}</text>\n");
        }

        int step = Math.Max(1, (int)Math.Pow(10, Math.Floor(Math.Log10(maxRequests))) / 2);
        for (int r = 0; r <= maxRequests; r += step)
        {
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<text x=\"{X(r):0.#}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{r}</text>\n");
        }

        svg.Append(
            CultureInfo.InvariantCulture,
            $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" " +
            $"stroke=\"#333\"/>\n")
           .Append(
               CultureInfo.InvariantCulture,
               $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 20}\" text-anchor=\"middle\">requests</text>\n")
           .Append(
               CultureInfo.InvariantCulture,
               $"<text transform=\"translate(20 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">cumulative " +
               $"accuracy</text>\n");

        for (int i = 0; i < runs.Count; i++)
        {
            string color = s_palette[i % s_palette.Length];
            string points = string.Join(
                ' ',
                runs[i].Curve.Select(p => FormattableString.Invariant($"{X(p.Requests):0.#},{Y(p.Accuracy):0.#}")));
            int ly = Top + 10 + (i * 20);
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<polyline points=\"{points}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n")
               .Append(
                   CultureInfo.InvariantCulture,
                   $"<line x1=\"{Width - Right + 12}\" y1=\"{ly}\" x2=\"{Width - Right + 32}\" y2=\"{ly}\" stroke=\"{color}\" " +
                   $"stroke-width=\"2\"/>\n")
               .Append(
                   CultureInfo.InvariantCulture,
                   $"<text x=\"{Width - Right + 38}\" y=\"{ly + 4}\">{SvgText.Escape(runs[i].Label)}</text>\n");
        }

        return svg.Append("</svg>\n").ToString();
    }
}

using System.Globalization;
using System.Text;

namespace MetaModel.Replay;

/// <summary>Draws accuracy against cost per 1,000 requests as an SVG scatter plot, one point per run.</summary>
/// <remarks>
/// Cost is on a logarithmic axis, since model prices span orders of magnitude. Routers are drawn as filled
/// diamonds, single models as hollow circles; the upper left is better. The SVG has no scripts and no external
/// references, so any browser or image viewer opens it.
/// </remarks>
public static class AccuracyCostPlot
{
    private const int Width = 1000;
    private const int Height = 600;
    private const int Left = 80;
    private const int Right = 330;
    private const int Top = 50;
    private const int Bottom = 70;

    private static readonly string[] s_palette =
        ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

    /// <summary>Renders the plot.</summary>
    /// <param name="title">The title shown above the plot.</param>
    /// <param name="routers">The routing policies' runs.</param>
    /// <param name="singleModels">The single models' runs.</param>
    /// <returns>The SVG document.</returns>
    public static string Render(string title, IReadOnlyList<ReplayRunResult> routers, IReadOnlyList<ReplayRunResult> singleModels)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(routers);
        ArgumentNullException.ThrowIfNull(singleModels);

        var all = routers.Concat(singleModels).ToList();
        double minCost = all.Select(r => (double)r.CostPerThousandUsd).Where(c => c > 0).DefaultIfEmpty(0.001).Min();
        double maxCost = all.Select(r => (double)r.CostPerThousandUsd).DefaultIfEmpty(1).Max();
        double logMin = Math.Floor(Math.Log10(minCost));
        double logMax = Math.Max(Math.Ceiling(Math.Log10(Math.Max(maxCost, minCost * 10))), logMin + 1);
        double minAccuracy = Math.Floor(all.Select(r => r.Accuracy).DefaultIfEmpty(0).Min() * 10) / 10;
        double maxAccuracy = Math.Min(1, Math.Ceiling(all.Select(r => r.Accuracy).DefaultIfEmpty(1).Max() * 10) / 10);
        if (maxAccuracy <= minAccuracy)
        {
            maxAccuracy = minAccuracy + 0.1;
        }

        double X(double cost) =>
            Left + ((Math.Log10(Math.Max(cost, Math.Pow(10, logMin))) - logMin) / (logMax - logMin) * (Width - Left - Right));
        double Y(double accuracy) =>
            Height - Bottom - ((accuracy - minAccuracy) / (maxAccuracy - minAccuracy) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" ")
           .Append("font-family=\"sans-serif\" font-size=\"12\">\n")
           .Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
           .Append(
               CultureInfo.InvariantCulture,
               $"<text x=\"{Width / 2}\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">{Escape(title)}</text>\n");

        // Axes with decade ticks on the cost axis and 0.1 steps on the accuracy axis.
        for (double decade = logMin; decade <= logMax + 1e-9; decade++)
        {
            double x = X(Math.Pow(10, decade));
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<line x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{Height - Bottom}\" stroke=\"#eee\"/>\n")
               .Append(
                   CultureInfo.InvariantCulture,
                   $"<text x=\"{x:0.#}\" y=\"{Height - Bottom + 18}\" " +
                   $"text-anchor=\"middle\">${Math.Pow(10, decade).ToString("0.####", CultureInfo.InvariantCulture)}</text>\n");
        }

        for (double a = minAccuracy; a <= maxAccuracy + 1e-9; a += 0.1)
        {
            double y = Y(a);
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"#eee\"/>\n")
               .Append(
                   CultureInfo.InvariantCulture,
                   $"<text x=\"{Left - 8}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{a:0.0}</text>\n");
        }

        svg.Append(
            CultureInfo.InvariantCulture,
            $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" " +
            $"stroke=\"#333\"/>\n")
           .Append(
               CultureInfo.InvariantCulture,
               $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 25}\" text-anchor=\"middle\">cost per 1,000 requests " +
               $"(USD, log scale)</text>\n")
           .Append(
               CultureInfo.InvariantCulture,
               $"<text transform=\"translate(22 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">accuracy " +
               $"(mean recorded score)</text>\n");

        foreach (ReplayRunResult model in singleModels)
        {
            double x = X((double)model.CostPerThousandUsd);
            double y = Y(model.Accuracy);
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"5\" fill=\"white\" stroke=\"#555\" stroke-width=\"1.5\"/>\n")
               .Append(LabelNear(x, y, ShortName(model.Label)));
        }

        for (int i = 0; i < routers.Count; i++)
        {
            ReplayRunResult router = routers[i];
            string color = s_palette[i % s_palette.Length];
            double x = X((double)router.CostPerThousandUsd);
            double y = Y(router.Accuracy);
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<path d=\"M {x:0.#} {y - 8:0.#} L {x + 8:0.#} {y:0.#} L {x:0.#} {y + 8:0.#} L {x - 8:0.#} {y:0.#} Z\" " +
                $"fill=\"{color}\"/>\n");

            // The legend on the right names each router with its colour.
            int ly = Top + 10 + (i * 20);
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<path d=\"M {Width - Right + 20} {ly - 6} l 6 6 l -6 6 l -6 -6 Z\" fill=\"{color}\"/>\n")
               .Append(
                   CultureInfo.InvariantCulture,
                   $"<text x=\"{Width - Right + 32}\" y=\"{ly + 4}\">{Escape(router.Label)}</text>\n");
        }

        int modelsLegend = Top + 20 + (routers.Count * 20);
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<circle cx=\"{Width - Right + 20}\" cy=\"{modelsLegend}\" r=\"5\" fill=\"white\" stroke=\"#555\" " +
            $"stroke-width=\"1.5\"/>\n")
           .Append(
               CultureInfo.InvariantCulture,
               $"<text x=\"{Width - Right + 32}\" y=\"{modelsLegend + 4}\">single model</text>\n")
           .Append("</svg>\n");
        return svg.ToString();
    }

    // Labels go right of their point, or left of it near the plot's right edge so they stay clear of the legend.
    private static string LabelNear(double x, double y, string text) => x > Width - Right - 160
        ? FormattableString.Invariant($"<text x=\"{x - 8:0.#}\" y=\"{y + 4:0.#}\" fill=\"#555\" font-size=\"10\" ") +
            FormattableString.Invariant($"text-anchor=\"end\">{Escape(text)}</text>\n")
        : FormattableString.Invariant(
            $"<text x=\"{x + 8:0.#}\" y=\"{y + 4:0.#}\" fill=\"#555\" font-size=\"10\">{Escape(text)}</text>\n");

    private static string ShortName(string label) =>
        label.Contains('/', StringComparison.Ordinal) ? label[(label.LastIndexOf('/') + 1)..] : label;

    private static string Escape(string text) => SvgText.Escape(text);
}

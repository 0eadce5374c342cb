using System.Globalization;
using System.Text;
using MetaModel.Replay;
using MetaModel.ReplayDemo;

namespace MetaModel.EmbeddingReplay;

/// <summary>Puts the held-out results of several feature setups side by side.</summary>
internal static class Comparison
{
    /// <summary>Formats one row per bandit setting and one column per setup.</summary>
    /// <param name="datasetName">The data set's name, for the heading.</param>
    /// <param name="results">The evaluations; all share the split, so they share the reference model.</param>
    /// <returns>A Markdown section.</returns>
    public static string Format(string datasetName, IReadOnlyList<EvaluationResult> results)
    {
        ArgumentOutOfRangeException.ThrowIfZero(results.Count);
        ReplayRunResult best = results[0].Best;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## {datasetName}: features side by side (held out)")
            .AppendLine()
            .AppendLine(
                CultureInfo.InvariantCulture,
                $"Each cell is accuracy / cost as a share of {best.Label}'s on the same {best.Requests:N0} held-out prompts " +
                $"(accuracy {best.Accuracy:0.0000}, {best.CostPerThousandUsd:0.####} USD per 1,000 requests).")
            .AppendLine()
            .AppendLine("| Bandit | " + string.Join(" | ", results.Select(r => r.Setup.Label)) + " |")
            .AppendLine("|---|" + string.Concat(results.Select(_ => "---:|")));
        int rows = results[0].Bandits.Count;
        for (int i = 0; i < rows; i++)
        {
            string name = results[0].Bandits[i].Label[(results[0].Setup.RunLabel.Length + 1)..];
            string cells = string.Join(" | ", results.Select(r => Cell(r.Bandits[i], best)));
            text.Append("| ").Append(name).Append(" | ").Append(cells).AppendLine(" |");
        }

        text.AppendLine("| paced to 20% of its cost | " + string.Join(" | ", results.Select(r => Cell(r.Paced, best))) + " |")
            .Append("| per-task rule (no features) | ")
            .Append(Cell(results[0].Rule, best))
            .Append(" |")
            .AppendLine(string.Concat(Enumerable.Repeat(" |", results.Count - 1)))
            .AppendLine();
        return text.ToString();
    }

    /// <summary>Formats a result as accuracy / cost relative to <paramref name="best"/>.</summary>
    /// <param name="result">The result.</param>
    /// <param name="best">The reference.</param>
    /// <returns>
    /// For example "94.0% / 20.1%"; "n/a" for a share of zero, and for a run that was not made (no pacing when the
    /// reference costs nothing).
    /// </returns>
    public static string Cell(ReplayRunResult? result, ReplayRunResult best) =>
        result is null
            ? "n/a"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{Share(result.Accuracy, best.Accuracy)} / {Share((double)result.TotalCostUsd, (double)best.TotalCostUsd)}");

    private static string Share(double value, double reference) =>
        reference > 0
            ? (value / reference).ToString("P1", CultureInfo.InvariantCulture).Replace(" %", "%", StringComparison.Ordinal)
            : "n/a";
}

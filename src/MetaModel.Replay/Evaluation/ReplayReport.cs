using System.Globalization;
using System.Text;

namespace MetaModel.Replay;

/// <summary>Formats replay results as a table, compared with the most accurate single model.</summary>
public static class ReplayReport
{
    private static readonly string[] s_header =
        ["Router / model", "Accuracy", "Total cost $", "Cost / 1k req $", "Accuracy % of best", "Cost % of best", "Errors"];

    /// <summary>Finds the most accurate result among <paramref name="singleModels"/> (the cheaper one on a tie).</summary>
    /// <param name="singleModels">The single-model runs.</param>
    /// <returns>The reference result.</returns>
    public static ReplayRunResult BestSingle(IEnumerable<ReplayRunResult> singleModels)
    {
        ArgumentNullException.ThrowIfNull(singleModels);
        return singleModels
            .OrderByDescending(r => r.Accuracy)
            .ThenBy(r => r.TotalCostUsd)
            .First();
    }

    /// <summary>Formats results as a Markdown table with accuracy and cost, also as % of <paramref name="reference"/>.</summary>
    /// <param name="results">The rows, in the order to show them.</param>
    /// <param name="reference">The result the percentages compare with.</param>
    /// <returns>The table, one row per result.</returns>
    public static string FormatTable(IEnumerable<ReplayRunResult> results, ReplayRunResult reference)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(reference);

        var rows = new List<string[]> { s_header };
        foreach (ReplayRunResult result in results)
        {
            rows.Add(
            [
                TableCell(result.Label),
                result.Accuracy.ToString("0.0000", CultureInfo.InvariantCulture),
                result.TotalCostUsd.ToString("0.0000", CultureInfo.InvariantCulture),
                result.CostPerThousandUsd.ToString("0.0000", CultureInfo.InvariantCulture),
                Percent(result.Accuracy, reference.Accuracy),
                Percent((double)result.TotalCostUsd, (double)reference.TotalCostUsd),
                result.Failures.ToString(CultureInfo.InvariantCulture),
            ]);
        }

        int[] widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        for (int r = 0; r < rows.Count; r++)
        {
            text.Append('|');
            for (int c = 0; c < widths.Length; c++)
            {
                string cell = c == 0 ? rows[r][c].PadRight(widths[c]) : rows[r][c].PadLeft(widths[c]);
                text.Append(' ').Append(cell).Append(" |");
            }

            text.AppendLine();
            if (r == 0)
            {
                text.Append('|');
                for (int c = 0; c < widths.Length; c++)
                {
                    text.Append(c == 0 ? ":" : "-").Append(new string('-', widths[c])).Append(c == 0 ? "-|" : ":|");
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Makes a label safe for one Markdown table cell: a bar would end the cell and a line break the row, and both
    /// can occur in model names taken from the data.
    /// </summary>
    private static string TableCell(string text)
    {
        var cell = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c == '|')
            {
                cell.Append(@"\|");
            }
            else
            {
                cell.Append(char.IsControl(c) ? ' ' : c);
            }
        }

        return cell.ToString();
    }

    private static string Percent(double value, double reference) =>
        reference == 0 ? "n/a" : (value / reference * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}

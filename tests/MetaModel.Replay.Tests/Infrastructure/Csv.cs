using System.Text;

namespace MetaModel.Replay.Tests;

/// <summary>Writes CSV lines for fixtures, quoting as RFC 4180 requires.</summary>
internal static class Csv
{
    public const string Header =
        ",sample_id,prompt,eval_name,model-a,org/model-b,"
        + "model-a|model_response,org/model-b|model_response,"
        + "model-a|total_cost,org/model-b|total_cost,oracle_model_to_route_to";

    public static string Line(params string[] fields) => string.Join(',', fields.Select(Quote));

    /// <summary>A data row for the <see cref="Header"/> columns.</summary>
    public static string Row(
        int index,
        string sampleId,
        string prompt,
        string task,
        (string Score, string Response, string Cost) a,
        (string Score, string Response, string Cost) b) =>
        Line(
            index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            sampleId,
            prompt,
            task,
            a.Score,
            b.Score,
            a.Response,
            b.Response,
            a.Cost,
            b.Cost,
            "model-a");

    public static string File(params string[] lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}

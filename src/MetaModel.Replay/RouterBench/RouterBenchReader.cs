using System.Globalization;
using CsvHelper;

namespace MetaModel.Replay;

/// <summary>Reads RouterBench CSV files of recorded per-model outcomes.</summary>
/// <remarks>
/// <para>
/// A file has a header row and one row per prompt. Columns: an unnamed row index (ignored), <c>sample_id</c>,
/// <c>eval_name</c> (the task), <c>prompt</c>, a score column named after each model,
/// <c>&lt;model&gt;|model_response</c>, <c>&lt;model&gt;|total_cost</c> (USD) and
/// <c>oracle_model_to_route_to</c> (ignored). The models are the names of the score, response and cost
/// columns, in the order they first appear. Fields may be quoted and span lines.
/// </para>
/// <para>
/// <c>prompt</c> and the responses are stored as Python list literals of strings, such as <c>['Q1',
/// "Q2's"]</c>: they are decoded, and the parts joined with <see cref="PromptPartSeparator"/>. A field that
/// is not such a literal is used as it is.
/// </para>
/// <para>
/// An empty score cell gives a <see langword="null"/> score; an empty response cell a <see langword="null"/>
/// response. A model whose score, response and cost cells are all empty has no outcome for that prompt. A
/// score or cost that is not a number (invariant culture), a score outside [0, 1] (scores are answer qualities,
/// which a replay averages as accuracy and sends back as quality feedback), a negative cost, a missing cost with a
/// score or response, a missing required column, or a row with a different number of fields than the header
/// throws a <see cref="ReplayDataException"/> that names the file, the 1-based data row and the column; data with
/// no rows at all throws one that names the file. Reading is all-or-nothing: a dataset is returned only when every
/// row of every file parsed.
/// </para>
/// <para>A sample id repeated within the data gets a suffix; see <see cref="ReplayPrompt.SampleId"/>.</para>
/// </remarks>
public static class RouterBenchReader
{
    /// <summary>The text placed between the parts of a prompt (or response) recorded as a list of several
    /// strings.</summary>
    public const string PromptPartSeparator = "\n\n";

    private const int PreviewLength = 40;

    private static readonly CsvReaderOptions CsvOptions = CsvReaderOptions.Default with
    {
        Separator = ',',
        HasHeader = true,
        Mode = CsvMode.Rfc4180,
        MalformedData = CsvMalformedDataHandling.Throw,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        DetectSeparatorHint = false,
        TrackLineNumbers = true,
    };

    /// <summary>Finds the CSV files directly inside a folder, whatever the case of their extension.</summary>
    internal static readonly EnumerationOptions CsvSearch = new()
    {
        MatchCasing = MatchCasing.CaseInsensitive,
        RecurseSubdirectories = false,
    };

    /// <summary>Reads one RouterBench CSV file, or every <c>*.csv</c> file directly inside a folder.</summary>
    /// <param name="path">A <c>.csv</c> file, or a folder; a folder's files are read in ordinal name
    /// order.</param>
    /// <returns>
    /// A dataset named after the file (without extension) or the folder, with the prompts in file order.
    /// </returns>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="ReplayDataException">The folder has no CSV file, or a file cannot be read as
    /// RouterBench.</exception>
    public static ReplayDataset Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        var fullPath = Path.GetFullPath(path);
        string[] files;
        string name;
        if (Directory.Exists(fullPath))
        {
            files = Directory.GetFiles(fullPath, "*.csv", CsvSearch);
            Array.Sort(files, StringComparer.Ordinal);
            if (files.Length == 0)
            {
                throw new ReplayDataException("The folder contains no *.csv file.", fullPath);
            }

            name = Path.GetFileName(Path.TrimEndingDirectorySeparator(fullPath));
        }
        else if (File.Exists(fullPath))
        {
            files = [fullPath];
            name = Path.GetFileNameWithoutExtension(fullPath);
        }
        else
        {
            throw new FileNotFoundException(
                $"No RouterBench CSV file or folder exists at '{fullPath}'.",
                fullPath);
        }

        var builder = new ReplayDatasetBuilder();
        foreach (var file in files)
        {
            ReadFile(file, builder);
        }

        if (builder.PromptCount == 0)
        {
            throw new ReplayDataException("The data holds no prompts: the CSV has a header but no rows.", fullPath);
        }

        return builder.Build(name, fullPath, ReplayFormat.RouterBench);
    }

    private static void ReadFile(string filePath, ReplayDatasetBuilder builder)
    {
        using var reader = CsvReader.FromFile(filePath, CsvOptions);
        var columns = RouterBenchColumns.Parse(ReadHeader(reader, filePath), filePath);
        foreach (var model in columns.Models)
        {
            builder.AddModel(new ReplayModel(model.Id));
        }

        while (ReadRecord(reader, filePath))
        {
            var row = checked((int)reader.RowNumber);
            var line = reader.LineNumber;
            if (reader.FieldCount != columns.Count)
            {
                throw new ReplayDataException(
                    $"The row has {reader.FieldCount} fields, but the header has {columns.Count}.",
                    filePath,
                    row,
                    line: line);
            }

            var location = new CellLocation(filePath, row, line);
            var sampleId = RequireText(reader, columns.SampleIdIndex, RouterBenchColumns.SampleId, location);
            var task = RequireText(reader, columns.TaskIndex, RouterBenchColumns.Task, location);
            var prompt = DecodeListLiteral(reader.GetString(columns.PromptIndex));
            if (string.IsNullOrWhiteSpace(prompt))
            {
                throw location.Error("The prompt is empty.", RouterBenchColumns.Prompt);
            }

            var outcomes = new Dictionary<string, ReplayOutcome>(columns.Models.Count, StringComparer.Ordinal);
            foreach (var model in columns.Models)
            {
                if (ReadOutcome(reader, model, location) is { } outcome)
                {
                    outcomes.Add(model.Id, outcome);
                }
            }

            builder.AddPrompt(sampleId, task, prompt, outcomes);
        }
    }

    private static IReadOnlyList<string> ReadHeader(CsvReader reader, string filePath)
    {
        try
        {
            return reader.Headers;
        }
        catch (CsvFormatException ex)
        {
            throw new ReplayDataException(
                $"The header row is malformed: {ex.Message}",
                filePath,
                line: 1,
                innerException: ex);
        }
    }

    private static bool ReadRecord(CsvReader reader, string filePath)
    {
        try
        {
            return reader.Read();
        }
        catch (CsvFormatException ex)
        {
            // The exception counts the header as record 1; rows count data records only.
            int? row = ex.RecordNumber > 1 ? checked((int)(ex.RecordNumber - 1)) : null;
            long? line = ex.LineNumber > 0 ? ex.LineNumber : null;
            throw new ReplayDataException(
                $"Malformed CSV: {ex.Message}",
                filePath,
                row,
                line: line,
                innerException: ex);
        }
    }

    private static ReplayOutcome? ReadOutcome(
        CsvReader reader,
        RouterBenchColumns.ModelColumns model,
        CellLocation location)
    {
        var scoreText = model.ScoreIndex < 0 ? string.Empty : reader.GetString(model.ScoreIndex);
        var responseText = model.ResponseIndex < 0 ? string.Empty : reader.GetString(model.ResponseIndex);
        var costText = reader.GetString(model.CostIndex);
        if (scoreText.Length == 0 && responseText.Length == 0 && costText.Length == 0)
        {
            return null;
        }

        double? score = null;
        if (scoreText.Length > 0)
        {
            if (!double.TryParse(scoreText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || !double.IsFinite(value))
            {
                var shown = TextPreview.Of(scoreText, PreviewLength);
                throw location.Error($"The score '{shown}' is not a finite number.", model.Id);
            }

            if (value is < 0 or > 1)
            {
                var shown = TextPreview.Of(scoreText, PreviewLength);
                throw location.Error(
                    $"The score '{shown}' is not from 0 to 1: scores are answer qualities (rescale other scales).",
                    model.Id);
            }

            score = value;
        }

        var costColumn = $"{model.Id}|{RouterBenchColumns.CostSuffix}";
        if (costText.Length == 0)
        {
            throw location.Error("The cost is empty, but the model has a score or a response.", costColumn);
        }

        if (!decimal.TryParse(costText, NumberStyles.Float, CultureInfo.InvariantCulture, out var cost)
            || cost < 0)
        {
            var shown = TextPreview.Of(costText, PreviewLength);
            throw location.Error($"The cost '{shown}' is not a non-negative number.", costColumn);
        }

        var response = responseText.Length == 0 ? null : DecodeListLiteral(responseText);
        return new ReplayOutcome(score, cost, costIsEstimated: false, response);
    }

    private static string RequireText(CsvReader reader, int index, string column, CellLocation location)
    {
        var text = reader.GetString(index);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw location.Error("The value is empty.", column);
        }

        return text;
    }

    private static string DecodeListLiteral(string field) =>
        PythonStringList.TryParse(field, out var parts) ? string.Join(PromptPartSeparator, parts) : field;

    private readonly record struct CellLocation(
        string FilePath,
        int Row,
        long Line)
    {
        public ReplayDataException Error(string reason, string column) =>
            new(reason, FilePath, Row, column, Line);
    }
}

namespace MetaModel.Replay;

/// <summary>Loads a replay dataset from a file or folder in either recorded-outcome format, detecting
/// which.</summary>
/// <remarks>
/// Detection: a folder holding <see cref="LlmRouterReader.QuestionsFileName"/> and
/// <see cref="LlmRouterReader.PriceListFileName"/> is LLMRouter; a folder holding <c>*.csv</c> files is
/// RouterBench (a folder holding both is refused as ambiguous). A <c>.csv</c> file is RouterBench; a
/// <c>.json</c> file with <see cref="LlmRouterReader.PriceListFileName"/> beside it is LLMRouter. Anything
/// else is refused with a message that names the path and describes both formats.
/// </remarks>
public static class ReplayDatasetLoader
{
    /// <summary>A description of the accepted formats, which the errors of <see cref="Load"/> end
    /// with.</summary>
    public const string AcceptedFormats =
        "Accepted replay data: (1) RouterBench: a .csv file, or a folder of .csv files, with the "
        + "columns sample_id, eval_name, prompt, a score column per model and '<model>|total_cost' "
        + "(and optionally '<model>|model_response'); (2) LLMRouter: a folder holding train.json "
        + "(an array of {question, scores, cluster_id}) and default_llm.json (per model input_price "
        + "and output_price in USD per million tokens), or a .json question file with default_llm.json "
        + "beside it.";

    /// <summary>Loads the dataset at <paramref name="path"/>.</summary>
    /// <param name="path">A file or folder in either format; see the remarks of
    /// <see cref="ReplayDatasetLoader"/>.</param>
    /// <param name="llmRouterOptions">How LLMRouter costs are estimated; <see langword="null"/> for the
    /// defaults.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="ReplayDataException">
    /// The content is in neither format, or a file of the detected format cannot be read.
    /// </exception>
    public static ReplayDataset Load(string path, LlmRouterReaderOptions? llmRouterOptions = null) =>
        DetectFormat(path) switch
        {
            ReplayFormat.RouterBench => RouterBenchReader.Read(path),
            _ => LlmRouterReader.Read(path, llmRouterOptions),
        };

    /// <summary>Detects the format of the data at <paramref name="path"/> without reading it.</summary>
    /// <param name="path">A file or folder.</param>
    /// <returns>The format the data is in.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="ReplayDataException">The content is in neither format.</exception>
    public static ReplayFormat DetectFormat(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            var isLlmRouter = File.Exists(Path.Combine(fullPath, LlmRouterReader.QuestionsFileName))
                && File.Exists(Path.Combine(fullPath, LlmRouterReader.PriceListFileName));
            var hasCsv = Directory.EnumerateFiles(fullPath, "*.csv", RouterBenchReader.CsvSearch).Any();
            return (isLlmRouter, hasCsv) switch
            {
                (true, false) => ReplayFormat.LlmRouter,
                (false, true) => ReplayFormat.RouterBench,
                (true, true) => throw Unknown(fullPath, "The folder holds both LLMRouter files and CSV files."),
                _ => throw Unknown(fullPath, "The folder holds neither LLMRouter files nor CSV files."),
            };
        }

        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException(
                $"No file or folder exists at '{fullPath}'. {AcceptedFormats}",
                fullPath);
        }

        var extension = Path.GetExtension(fullPath);
        if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return ReplayFormat.RouterBench;
        }

        var folder = Path.GetDirectoryName(fullPath)!;
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase)
            && File.Exists(Path.Combine(folder, LlmRouterReader.PriceListFileName)))
        {
            return ReplayFormat.LlmRouter;
        }

        throw Unknown(fullPath, "The file is neither a .csv file nor a .json file beside a default_llm.json.");
    }

    private static ReplayDataException Unknown(string path, string reason) =>
        new($"{reason} {AcceptedFormats}", path);
}

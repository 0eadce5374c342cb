using System.Globalization;

namespace MetaModel.Replay;

/// <summary>Reads LLMRouter's recorded per-model scores and list prices.</summary>
/// <remarks>
/// <para>
/// The data is two JSON files side by side: <see cref="QuestionsFileName"/>, an array of <c>{"question":
/// string, "scores": {model: number}, "cluster_id": int}</c>, and <see cref="PriceListFileName"/>, an object
/// of <c>{model: {"input_price": number, "output_price": number, …}}</c> in USD per million tokens. The
/// models are those that have a score in at least one question, in price-list order. A scored model without a
/// price is an error; priced models without scores are left out. A score outside [0, 1], an empty question array
/// and questions that score no model are errors too.
/// </para>
/// <para>
/// Each prompt's <see cref="ReplayPrompt.SampleId"/> is <c>&lt;file name&gt;-&lt;array index&gt;</c>, its
/// <see cref="ReplayPrompt.Task"/> is <c>cluster-&lt;cluster_id&gt;</c>, and a <see langword="null"/> score
/// stays <see langword="null"/>. No cost or response is recorded, so every outcome has a
/// <see langword="null"/> <see cref="ReplayOutcome.Response"/> and an estimated cost (see
/// <see cref="LlmRouterReaderOptions"/>), with the token counts behind the estimate in
/// <see cref="ReplayOutcome.InputTokens"/> and <see cref="ReplayOutcome.OutputTokens"/>.
/// </para>
/// <para>
/// The questions are read element by element with a <see cref="System.Text.Json.Utf8JsonReader"/>. Malformed
/// JSON, a missing field, or a value of the wrong type throws a <see cref="ReplayDataException"/> naming the
/// file, the element (row = array index + 1), the property and the line. Reading is all-or-nothing.
/// </para>
/// </remarks>
public static class LlmRouterReader
{
    /// <summary>The name of the question file that a folder must hold.</summary>
    public const string QuestionsFileName = "train.json";

    /// <summary>The name of the price list that must sit beside the question file.</summary>
    public const string PriceListFileName = "default_llm.json";

    /// <summary>Reads an LLMRouter dataset.</summary>
    /// <param name="path">
    /// A folder holding <see cref="QuestionsFileName"/> and <see cref="PriceListFileName"/>; or a question file
    /// (any name) with <see cref="PriceListFileName"/> beside it; or the price list itself, which reads the
    /// <see cref="QuestionsFileName"/> beside it.
    /// </param>
    /// <param name="options">How costs are estimated; <see langword="null"/> for the defaults.</param>
    /// <returns>A dataset named after the folder, or after the question file when a file was given.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    /// <exception cref="ReplayDataException">A file is missing beside it, or cannot be read as LLMRouter
    /// data.</exception>
    public static ReplayDataset Read(string path, LlmRouterReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        // The options are read once, so that a change made while reading cannot mix two estimates.
        options ??= new LlmRouterReaderOptions();
        var charactersPerToken = options.CharactersPerToken;
        var outputTokens = options.EstimatedOutputTokens;
        var fullPath = Path.GetFullPath(path);
        var (questionsPath, pricesPath, name) = ResolveFiles(fullPath);
        var prices = LlmRouterPriceList.Read(pricesPath);
        var records = LlmRouterQuestions.Read(questionsPath);
        if (records.Count == 0)
        {
            throw new ReplayDataException("The file holds no prompts: its question array is empty.", questionsPath);
        }

        var modelsById = prices.ToDictionary(model => model.Id, StringComparer.Ordinal);
        var scoredModels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            foreach (var modelId in record.Scores.Keys)
            {
                if (!modelsById.ContainsKey(modelId))
                {
                    throw new ReplayDataException(
                        $"Model '{modelId}' has a score but no entry in {PriceListFileName}.",
                        questionsPath,
                        record.Index + 1,
                        $"scores.{modelId}");
                }

                scoredModels.Add(modelId);
            }
        }

        if (scoredModels.Count == 0)
        {
            throw new ReplayDataException(
                "No question scores any model, so no model has an outcome to replay.",
                questionsPath);
        }

        var builder = new ReplayDatasetBuilder();
        foreach (var model in prices.Where(model => scoredModels.Contains(model.Id)))
        {
            builder.AddModel(model);
        }

        var idPrefix = Path.GetFileNameWithoutExtension(questionsPath);
        foreach (var record in records)
        {
            var inputTokens = EstimateInputTokens(record.Question, charactersPerToken);
            var outcomes = new Dictionary<string, ReplayOutcome>(record.Scores.Count, StringComparer.Ordinal);
            foreach (var (modelId, score) in record.Scores)
            {
                var model = modelsById[modelId];
                decimal cost;
                try
                {
                    cost = EstimateCost(model, inputTokens, outputTokens);
                }
                catch (OverflowException ex)
                {
                    throw new ReplayDataException(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"The estimated cost of {inputTokens} input and {outputTokens} output tokens at the prices of "
                            + $"'{modelId}' in {PriceListFileName} is too large for a decimal; check the prices."),
                        questionsPath,
                        record.Index + 1,
                        $"scores.{modelId}",
                        innerException: ex);
                }

                var outcome = new ReplayOutcome(
                    score,
                    cost,
                    costIsEstimated: true,
                    response: null,
                    inputTokens,
                    outputTokens);
                outcomes.Add(modelId, outcome);
            }

            builder.AddPrompt(
                string.Create(CultureInfo.InvariantCulture, $"{idPrefix}-{record.Index}"),
                string.Create(CultureInfo.InvariantCulture, $"cluster-{record.ClusterId}"),
                record.Question,
                outcomes);
        }

        return builder.Build(name, fullPath, ReplayFormat.LlmRouter);
    }

    /// <summary>Estimates the input tokens of a question: ceil(length in UTF-16 code units / characters per
    /// token).</summary>
    internal static int EstimateInputTokens(string question, int charactersPerToken) =>
        (int)(((long)question.Length + charactersPerToken - 1) / charactersPerToken);

    /// <summary>Estimates a call's cost in USD: (input × input price + output × output price) /
    /// 10⁶.</summary>
    internal static decimal EstimateCost(
        ReplayModel model,
        int inputTokens,
        int outputTokens) =>
        ((inputTokens * (model.InputPricePerMillion ?? 0m))
            + (outputTokens * (model.OutputPricePerMillion ?? 0m))) / 1_000_000m;

    private static (string Questions, string Prices, string Name) ResolveFiles(string fullPath)
    {
        if (Directory.Exists(fullPath))
        {
            var questions = Path.Combine(fullPath, QuestionsFileName);
            var prices = Path.Combine(fullPath, PriceListFileName);
            RequireFile(questions, fullPath);
            RequireFile(prices, fullPath);
            return (questions, prices, Path.GetFileName(Path.TrimEndingDirectorySeparator(fullPath)));
        }

        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"No LLMRouter file or folder exists at '{fullPath}'.", fullPath);
        }

        var folder = Path.GetDirectoryName(fullPath)!;
        if (string.Equals(Path.GetFileName(fullPath), PriceListFileName, StringComparison.OrdinalIgnoreCase))
        {
            var questions = Path.Combine(folder, QuestionsFileName);
            RequireFile(questions, fullPath);
            return (questions, fullPath, Path.GetFileNameWithoutExtension(questions));
        }

        var priceList = Path.Combine(folder, PriceListFileName);
        RequireFile(priceList, fullPath);
        return (fullPath, priceList, Path.GetFileNameWithoutExtension(fullPath));
    }

    private static void RequireFile(string filePath, string givenPath)
    {
        if (!File.Exists(filePath))
        {
            throw new ReplayDataException(
                $"LLMRouter data needs '{Path.GetFileName(filePath)}' at '{filePath}', which does not exist.",
                givenPath);
        }
    }
}

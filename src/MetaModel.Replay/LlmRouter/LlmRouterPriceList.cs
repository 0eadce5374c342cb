using System.Text.Json;

namespace MetaModel.Replay;

/// <summary>Reads LLMRouter's <c>default_llm.json</c>: list prices per model, in USD per million
/// tokens.</summary>
internal static class LlmRouterPriceList
{
    private const string InputPrice = "input_price";
    private const string OutputPrice = "output_price";

    /// <summary>Reads the price list into models, in file order.</summary>
    /// <exception cref="ReplayDataException">The file is not a JSON object of models with non-negative
    /// prices, or a model's name is empty or listed twice.</exception>
    public static List<ReplayModel> Read(string filePath)
    {
        // A byte order mark is skipped, as in the question file.
        ReadOnlyMemory<byte> json = File.ReadAllBytes(filePath);
        json = json.Span.StartsWith("\uFEFF"u8) ? json[3..] : json;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ReplayDataException(
                $"Malformed JSON: {ex.Message}",
                filePath,
                line: ex.LineNumber + 1,
                innerException: ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ReplayDataException(
                    "The price list must be a JSON object with one property per model.",
                    filePath);
            }

            var models = new List<ReplayModel>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (string.IsNullOrWhiteSpace(entry.Name))
                {
                    throw new ReplayDataException(
                        "A model entry has no name: every property of the price list names a model.",
                        filePath,
                        column: entry.Name);
                }

                if (!names.Add(entry.Name))
                {
                    throw new ReplayDataException(
                        "The model is listed more than once; each model must have one entry.",
                        filePath,
                        column: entry.Name);
                }

                if (entry.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new ReplayDataException(
                        "The model's entry must be a JSON object.",
                        filePath,
                        column: entry.Name);
                }

                var input = ReadPrice(entry, InputPrice, filePath);
                var output = ReadPrice(entry, OutputPrice, filePath);
                models.Add(new ReplayModel(entry.Name, input, output));
            }

            return models;
        }
    }

    private static decimal ReadPrice(
        JsonProperty entry,
        string name,
        string filePath)
    {
        if (!entry.Value.TryGetProperty(name, out var price)
            || price.ValueKind != JsonValueKind.Number
            || !price.TryGetDecimal(out var value)
            || value < 0)
        {
            string problem = price.ValueKind == JsonValueKind.Number && !price.TryGetDecimal(out _)
                ? $"its '{name}' of {price.GetRawText()} USD per million tokens is beyond what a decimal holds"
                : $"it needs '{name}': a non-negative number of USD per million tokens";
            throw new ReplayDataException($"The model's price is unusable: {problem}.", filePath, column: $"{entry.Name}.{name}");
        }

        return value;
    }
}

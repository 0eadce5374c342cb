using System.Globalization;
using System.Text.Json;

namespace MetaModel.Replay;

/// <summary>Reads LLMRouter's question file, a JSON array of <c>{question, scores, cluster_id}</c>, element
/// by element.</summary>
internal static class LlmRouterQuestions
{
    private const string Question = "question";
    private const string Scores = "scores";
    private const string ClusterId = "cluster_id";

    /// <summary>Reads every element of the array in <paramref name="filePath"/>.</summary>
    /// <exception cref="ReplayDataException">
    /// The JSON is malformed, or an element lacks a field or holds a value of the wrong type; the exception
    /// names the element (row = array index + 1) and the line.
    /// </exception>
    public static List<Record> Read(string filePath)
    {
        ReadOnlySpan<byte> json = File.ReadAllBytes(filePath);
        json = json.StartsWith("\uFEFF"u8) ? json[3..] : json;

        var options = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow };
        var reader = new Utf8JsonReader(json, options);
        var records = new List<Record>();
        var insideElement = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new ReplayDataException(
                    "The file must hold a JSON array of {question, scores, cluster_id} objects.",
                    filePath,
                    line: LineAt(json, reader.TokenStartIndex));
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                insideElement = true;
                records.Add(ReadElement(ref reader, json, filePath, records.Count));
                insideElement = false;
            }

            // Reading past the array makes the reader reject anything but white space after it.
            reader.Read();
        }
        catch (JsonException ex)
        {
            var index = insideElement ? records.Count : records.Count - 1;
            var where = index < 0 ? string.Empty : $" {(insideElement ? "in" : "after")} array element [{index}]";
            throw new ReplayDataException(
                $"Malformed JSON{where}: {ex.Message}",
                filePath,
                index < 0 ? null : index + 1,
                line: ex.LineNumber + 1,
                innerException: ex);
        }

        return records;
    }

    private static Record ReadElement(
        ref Utf8JsonReader reader,
        ReadOnlySpan<byte> json,
        string filePath,
        int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(
                $"Array element [{index}] is not an object.",
                null,
                reader.TokenStartIndex,
                json,
                filePath,
                index);
        }

        var start = reader.TokenStartIndex;
        string? question = null;
        Dictionary<string, double?>? scores = null;
        int? clusterId = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString()!;
            reader.Read();
            if ((property == Question && question is not null)
                || (property == Scores && scores is not null)
                || (property == ClusterId && clusterId is not null))
            {
                // A repeated property would silently replace the first value.
                throw Error(
                    $"Array element [{index}] has '{property}' more than once.",
                    property,
                    reader.TokenStartIndex,
                    json,
                    filePath,
                    index);
            }

            switch (property)
            {
                case Question:
                    question = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    if (string.IsNullOrWhiteSpace(question))
                    {
                        throw Error(
                            "The question must be a non-empty string.",
                            Question,
                            reader.TokenStartIndex,
                            json,
                            filePath,
                            index);
                    }

                    break;
                case Scores:
                    scores = ReadScores(ref reader, json, filePath, index);
                    break;
                case ClusterId:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var cluster))
                    {
                        throw Error(
                            "The cluster id must be an integer.",
                            ClusterId,
                            reader.TokenStartIndex,
                            json,
                            filePath,
                            index);
                    }

                    clusterId = cluster;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        var missing = question is null ? Question
            : scores is null ? Scores
            : clusterId is null ? ClusterId
            : null;
        if (missing is not null)
        {
            throw Error($"Array element [{index}] has no '{missing}'.", missing, start, json, filePath, index);
        }

        return new Record(index, question!, scores!, clusterId!.Value);
    }

    private static ReplayDataException Error(
        string reason,
        string? column,
        long offset,
        ReadOnlySpan<byte> json,
        string filePath,
        int index) =>
        new(reason, filePath, index + 1, column, LineAt(json, offset));

    private static Dictionary<string, double?> ReadScores(
        ref Utf8JsonReader reader,
        ReadOnlySpan<byte> json,
        string filePath,
        int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(
                "The scores must be an object of model id to number.",
                Scores,
                reader.TokenStartIndex,
                json,
                filePath,
                index);
        }

        var scores = new Dictionary<string, double?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var model = reader.GetString()!;
            reader.Read();
            var modelOffset = reader.TokenStartIndex;
            double? score = null;
            if (reader.TokenType == JsonTokenType.Number
                && reader.TryGetDouble(out var value)
                && double.IsFinite(value))
            {
                score = value;
            }
            else if (reader.TokenType != JsonTokenType.Null)
            {
                throw Error(
                    "The score must be a finite number or null.",
                    $"{Scores}.{model}",
                    reader.TokenStartIndex,
                    json,
                    filePath,
                    index);
            }

            if (score is < 0 or > 1)
            {
                throw Error(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"The score {score} is not from 0 to 1: scores are answer qualities (rescale other scales)."),
                    $"{Scores}.{model}",
                    modelOffset,
                    json,
                    filePath,
                    index);
            }

            if (!scores.TryAdd(model, score))
            {
                throw Error(
                    "The model is scored twice.",
                    $"{Scores}.{model}",
                    modelOffset,
                    json,
                    filePath,
                    index);
            }
        }

        return scores;
    }

    /// <summary>The 1-based line of the byte at <paramref name="offset"/>; counted only when an error is
    /// reported.</summary>
    public static long LineAt(ReadOnlySpan<byte> json, long offset) =>
        json[..(int)Math.Min(offset, json.Length)].Count((byte)'\n') + 1;

    /// <summary>One element of the array.</summary>
    public sealed record Record(
        int Index,
        string Question,
        Dictionary<string, double?> Scores,
        int ClusterId);
}

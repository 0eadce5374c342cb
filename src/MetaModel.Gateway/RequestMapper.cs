using System.Globalization;
using System.Text.Json;
using MetaModel.Gateway.Wire;
using Microsoft.Extensions.AI;

namespace MetaModel.Gateway;

/// <summary>Turns an OpenAI request body into Microsoft.Extensions.AI messages and options, or an error.</summary>
internal static class RequestMapper
{
    /// <summary>Checks the request against the limits and maps it.</summary>
    /// <param name="request">The parsed body.</param>
    /// <param name="limits">The gateway's limits.</param>
    /// <param name="messages">The messages, when the request is valid.</param>
    /// <param name="options">The options, without the tenant (the caller adds it).</param>
    /// <returns>The error, or <see langword="null"/> when the request is valid.</returns>
    public static GatewayError? TryMap(
        ChatCompletionRequest request,
        GatewayOptions limits,
        out List<ChatMessage> messages,
        out ChatOptions options)
    {
        messages = [];
        options = new ChatOptions();

        if (string.IsNullOrWhiteSpace(request.Model))
        {
            return GatewayError.Invalid("The request has no 'model'.", "model", "missing_required_parameter");
        }

        if (request.Messages is not { Count: > 0 } wire)
        {
            return GatewayError.Invalid("The request has no 'messages'.", "messages", "missing_required_parameter");
        }

        if (wire.Count > limits.MaxMessages)
        {
            return GatewayError.TooLarge(
                $"The request has {wire.Count} messages; at most {limits.MaxMessages} are accepted.",
                "messages");
        }

        if (request.Tools is { ValueKind: not JsonValueKind.Null } || request.Functions is { ValueKind: not JsonValueKind.Null })
        {
            return GatewayError.Unsupported(request.Tools is not null ? "tools" : "functions");
        }

        if (CheckMetadata(request.Metadata) is { } badMetadata)
        {
            return badMetadata;
        }

        if (request.N is { } n && n != 1)
        {
            return GatewayError.Invalid("Only n = 1 is supported.", "n", "unsupported_value");
        }

        if (CheckSampling(request) is { } badSampling)
        {
            return badSampling;
        }

        long characters = 0;
        for (int i = 0; i < wire.Count; i++)
        {
            GatewayError? partError = null;
            if (wire[i] is not { } item || MapMessage(item, i, ref characters, out partError) is not { } message)
            {
                return partError ?? GatewayError.Invalid(
                    $"messages[{i}] must have a role of system, developer, user or assistant and content that is a " +
                    "string or an array of text and image_url parts.",
                    $"messages[{i}]");
            }

            if (characters > limits.MaxCharacters)
            {
                return GatewayError.TooLarge(
                    $"The messages hold more than {limits.MaxCharacters} characters of text.",
                    "messages");
            }

            messages.Add(message);
        }

        options.ModelId = request.Model;
        options.Temperature = request.Temperature;
        options.TopP = request.TopP;
        options.MaxOutputTokens = request.MaxCompletionTokens ?? request.MaxTokens;
        options.PresencePenalty = request.PresencePenalty;
        options.FrequencyPenalty = request.FrequencyPenalty;
        options.Seed = request.Seed;
        if (request.Stop is { ValueKind: not JsonValueKind.Null } stop)
        {
            if (MapStop(stop) is not { } stops)
            {
                return GatewayError.Invalid("'stop' must be a string or an array of strings.", "stop");
            }

            options.StopSequences = stops;
        }

        switch (request.ResponseFormat?.Type)
        {
            case null or "text":
                break;
            case "json_object":
                options.ResponseFormat = ChatResponseFormat.Json;
                break;
            case "json_schema" when request.ResponseFormat.JsonSchema?.Schema is { } schema:
                options.ResponseFormat = ChatResponseFormat.ForJsonSchema(
                    schema,
                    request.ResponseFormat.JsonSchema.Name,
                    request.ResponseFormat.JsonSchema.Description);
                break;
            default:
                return GatewayError.Invalid(
                    "'response_format.type' must be text, json_object or json_schema (with a schema).",
                    "response_format");
        }

        return null;
    }

    /// <summary>
    /// Checks OpenAI's ranges of the sampling settings and output limits, so that a value no provider accepts (or a
    /// negative output limit, which would shrink budget reservations) is refused here rather than by every candidate.
    /// </summary>
    private static GatewayError? CheckSampling(ChatCompletionRequest request)
    {
        return OutOfRange(request.Temperature, 0, 2, "temperature")
            ?? OutOfRange(request.TopP, 0, 1, "top_p")
            ?? OutOfRange(request.PresencePenalty, -2, 2, "presence_penalty")
            ?? OutOfRange(request.FrequencyPenalty, -2, 2, "frequency_penalty")
            ?? TooFewTokens(request.MaxTokens, "max_tokens")
            ?? TooFewTokens(request.MaxCompletionTokens, "max_completion_tokens");

        static GatewayError? OutOfRange(float? value, float min, float max, string name) =>
            value is { } number && !(number >= min && number <= max)
                ? GatewayError.Invalid(
                    $"'{name}' must be a number from {min} to {max} (was {number.ToString(CultureInfo.InvariantCulture)}).",
                    name)
                : null;

        static GatewayError? TooFewTokens(int? value, string name) =>
            value is < 1
                ? GatewayError.Invalid($"'{name}' must be at least 1 (was {value}).", name)
                : null;
    }

    /// <summary>
    /// Checks OpenAI's limits on <c>metadata</c>: at most 16 pairs, keys of at most 64 characters and values of at
    /// most 512.
    /// </summary>
    private static GatewayError? CheckMetadata(Dictionary<string, string>? metadata)
    {
        const int MaxPairs = 16;
        const int MaxKeyLength = 64;
        const int MaxValueLength = 512;
        if (metadata is null)
        {
            return null;
        }

        if (metadata.Count > MaxPairs)
        {
            return GatewayError.Invalid($"'metadata' has {metadata.Count} pairs; at most {MaxPairs} are accepted.", "metadata");
        }

        foreach ((string key, string value) in metadata)
        {
            if (key.Length > MaxKeyLength)
            {
                return GatewayError.Invalid(
                    $"A 'metadata' key has {key.Length} characters; at most {MaxKeyLength} are accepted.",
                    "metadata");
            }

            if (value is { Length: > MaxValueLength })
            {
                return GatewayError.Invalid(
                    $"'metadata.{key}' has {value.Length} characters; at most {MaxValueLength} are accepted.",
                    "metadata");
            }
        }

        return null;
    }

    /// <summary>Maps one message, or returns <see langword="null"/> when it is invalid; <paramref name="error"/> is then
    /// the specific error of one of its parts, or <see langword="null"/> for the general one.</summary>
    private static ChatMessage? MapMessage(
        WireMessage wire,
        int index,
        ref long characters,
        out GatewayError? error)
    {
        error = null;
        ChatRole? role = wire.Role switch
        {
            "system" or "developer" => ChatRole.System,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            _ => null,
        };
        if (role is null)
        {
            return null;
        }

        var message = new ChatMessage { Role = role.Value, AuthorName = wire.Name };
        switch (wire.Content)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                break;
            case { ValueKind: JsonValueKind.String } text:
                string value = text.GetString()!;
                characters += value.Length;
                message.Contents.Add(new TextContent(value));
                break;
            case { ValueKind: JsonValueKind.Array } parts:
                int partIndex = 0;
                foreach (JsonElement part in parts.EnumerateArray())
                {
                    if (MapPart(part, $"messages[{index}].content[{partIndex}]", ref characters, out error) is not { } content)
                    {
                        return null;
                    }

                    message.Contents.Add(content);
                    partIndex++;
                }

                break;
            default:
                return null;
        }

        return message;
    }

    /// <summary>Maps one content part, or returns <see langword="null"/> when it is invalid; <paramref name="error"/> is
    /// then its specific error, or <see langword="null"/> for the message's general one.</summary>
    private static AIContent? MapPart(
        JsonElement part,
        string path,
        ref long characters,
        out GatewayError? error)
    {
        error = null;
        if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out JsonElement type))
        {
            return null;
        }

        if (type.ValueEquals("text") &&
            part.TryGetProperty("text", out JsonElement text) &&
            text.ValueKind == JsonValueKind.String)
        {
            string value = text.GetString()!;
            characters += value.Length;
            return new TextContent(value);
        }

        if (type.ValueEquals("image_url") &&
            part.TryGetProperty("image_url", out JsonElement image) &&
            image.ValueKind == JsonValueKind.Object &&
            image.TryGetProperty("url", out JsonElement url) &&
            url.ValueKind == JsonValueKind.String &&
            url.GetString() is { } address)
        {
            characters += address.Length;
            Uri? uri = null;
            if (!address.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            {
                if (!Uri.TryCreate(address, UriKind.Absolute, out uri))
                {
                    return null;
                }

                // Uri ignores whitespace around an address, so " data:text/plain,…" is a data URL too: the parsed
                // scheme, not the text's first characters, says whether a URL is one.
                if (!string.Equals(uri.Scheme, "data", StringComparison.OrdinalIgnoreCase))
                {
                    // Like OpenAI, only web addresses: a file:, ftp: or other address would be handed to a candidate
                    // that cannot fetch it, or, worse, one that can read the gateway host's files.
                    if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                    {
                        error = GatewayError.Invalid(
                            $"Invalid image URL in '{path}.image_url.url': its scheme is '{uri.Scheme}'; an image_url part " +
                            "takes an http or https URL, or a data URL such as 'data:image/png;base64,…'.",
                            $"{path}.image_url.url",
                            "invalid_image_url");
                        return null;
                    }

                    return new UriContent(uri, "image/*");
                }
            }

            DataContent data;
            try
            {
                data = uri is null ? new DataContent(address) : new DataContent(uri);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                return null;
            }

            // OpenAI refuses a data URL of another media type in an image part (400, invalid_image_format). Passed
            // on, no candidate would read it as an image, and the budget estimate would count it as nothing.
            if (!data.HasTopLevelMediaType("image"))
            {
                error = GatewayError.Invalid(
                    $"Invalid MIME type '{data.MediaType}' in '{path}.image_url.url': an image_url part takes an image " +
                    "(a data URL such as 'data:image/png;base64,…', or an https URL); only image types are supported.",
                    $"{path}.image_url.url",
                    "invalid_image_format");
                return null;
            }

            return data;
        }

        return null;
    }

    private static List<string>? MapStop(JsonElement stop)
    {
        switch (stop.ValueKind)
        {
            case JsonValueKind.String:
                return [stop.GetString()!];
            case JsonValueKind.Array:
                var list = new List<string>();
                foreach (JsonElement item in stop.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }

                    list.Add(item.GetString()!);
                }

                return list;
            default:
                return null;
        }
    }
}

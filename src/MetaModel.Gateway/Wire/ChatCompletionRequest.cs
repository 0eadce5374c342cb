using System.Text.Json;

namespace MetaModel.Gateway.Wire;

/// <summary>The body of <c>POST /v1/chat/completions</c>, in the OpenAI shape; unknown fields are ignored.</summary>
internal sealed class ChatCompletionRequest
{
    public string? Model { get; set; }

    public List<WireMessage>? Messages { get; set; }

    public bool Stream { get; set; }

    public StreamOptions? StreamOptions { get; set; }

    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public int? MaxTokens { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public float? PresencePenalty { get; set; }

    public float? FrequencyPenalty { get; set; }

    public long? Seed { get; set; }

    /// <summary>Gets or sets the stop sequences: a string or an array of strings.</summary>
    public JsonElement? Stop { get; set; }

    public string? User { get; set; }

    /// <summary>Gets or sets the caller's string pairs; <c>task</c> labels the request for the router.</summary>
    public Dictionary<string, string>? Metadata { get; set; }

    public int? N { get; set; }

    public ResponseFormat? ResponseFormat { get; set; }

    /// <summary>Gets or sets the tools; the gateway refuses them, so only their presence matters.</summary>
    public JsonElement? Tools { get; set; }

    /// <summary>Gets or sets the legacy functions; refused like <see cref="Tools"/>.</summary>
    public JsonElement? Functions { get; set; }
}

/// <summary>Streaming options.</summary>
internal sealed class StreamOptions
{
    public bool IncludeUsage { get; set; }
}

/// <summary>The requested response format.</summary>
internal sealed class ResponseFormat
{
    public string? Type { get; set; }

    public JsonSchemaFormat? JsonSchema { get; set; }
}

/// <summary>A JSON schema the answer must follow.</summary>
internal sealed class JsonSchemaFormat
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement? Schema { get; set; }
}

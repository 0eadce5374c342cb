namespace MetaModel.Gateway.Wire;

/// <summary>A non-streamed answer, in the OpenAI shape.</summary>
internal sealed class ChatCompletion
{
    public required string Id { get; init; }

    public string Object { get; init; } = "chat.completion";

    public long Created { get; init; }

    public required string Model { get; init; }

    public required IReadOnlyList<CompletionChoice> Choices { get; init; }

    public WireUsage? Usage { get; init; }

    /// <summary>Gets MetaModel's routing details; OpenAI clients ignore the field.</summary>
    public RoutingSummary? Metamodel { get; init; }
}

/// <summary>One choice of a non-streamed answer.</summary>
internal sealed class CompletionChoice
{
    public int Index { get; init; }

    public required AssistantMessage Message { get; init; }

    public required string FinishReason { get; init; }
}

/// <summary>The assistant's message.</summary>
internal sealed class AssistantMessage
{
    public string Role { get; init; } = "assistant";

    public string? Content { get; init; }
}

/// <summary>Token counts.</summary>
internal sealed class WireUsage
{
    public long PromptTokens { get; init; }

    public long CompletionTokens { get; init; }

    public long TotalTokens { get; init; }
}

/// <summary>How MetaModel routed the request: a gateway extension of the response body.</summary>
internal sealed class RoutingSummary
{
    public required string DecisionId { get; init; }

    public required string Candidate { get; init; }

    public required string Policy { get; init; }

    public int Attempts { get; init; }

    public decimal CostUsd { get; init; }

    public bool CostEstimated { get; init; }
}

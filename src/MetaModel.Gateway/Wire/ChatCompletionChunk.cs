namespace MetaModel.Gateway.Wire;

/// <summary>One server-sent event of a streamed answer, in the OpenAI shape.</summary>
internal sealed class ChatCompletionChunk
{
    public required string Id { get; init; }

    public string Object { get; init; } = "chat.completion.chunk";

    public long Created { get; init; }

    public required string Model { get; init; }

    public required IReadOnlyList<ChunkChoice> Choices { get; init; }

    /// <summary>Gets the token counts: only on the last chunk, when the client asked for them.</summary>
    public WireUsage? Usage { get; init; }

    /// <summary>Gets MetaModel's routing details: only on the last chunk.</summary>
    public RoutingSummary? Metamodel { get; init; }
}

/// <summary>One choice of a chunk.</summary>
internal sealed class ChunkChoice
{
    public int Index { get; init; }

    public required ChunkDelta Delta { get; init; }

    public string? FinishReason { get; init; }
}

/// <summary>What a chunk adds to the message.</summary>
internal sealed class ChunkDelta
{
    public string? Role { get; init; }

    public string? Content { get; init; }
}

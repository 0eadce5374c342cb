namespace MetaModel.ScriptedServer;

/// <summary>One chat-completion request the server received.</summary>
/// <param name="Sequence">The 1-based arrival number across all models.</param>
/// <param name="Model">The model named in the request body.</param>
/// <param name="Streaming">Whether the request asked for a stream.</param>
/// <param name="IncludeUsage">Whether a streaming request asked for a final usage chunk.</param>
/// <param name="Body">The raw request body.</param>
public sealed record ScriptedRequest(long Sequence, string Model, bool Streaming, bool IncludeUsage, string Body);

namespace MetaModel.ScriptedServer;

/// <summary>What the server answers to one request: an error status, or an answer sent whole or streamed.</summary>
/// <remarks>
/// A streamed answer sends, in order: a role chunk, one chunk per word of <see cref="Text"/> (or per tool call),
/// a finish chunk when <see cref="FinishReason"/> is set, a usage chunk when the request asked for one, and
/// <c>[DONE]</c>. The fault settings interrupt that sequence after the given number of content chunks.
/// </remarks>
public sealed class ScriptedReply
{
    /// <summary>Gets the HTTP status; anything but 200 sends <see cref="ErrorBody"/> instead of an answer.</summary>
    public int Status { get; init; } = 200;

    /// <summary>Gets the response headers to add, such as <c>Retry-After</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the error body sent with a non-200 status; a generic error object when null.</summary>
    public string? ErrorBody { get; init; }

    /// <summary>Gets the answer text; streamed word by word.</summary>
    public string Text { get; init; } = "ok";

    /// <summary>Gets the tool calls to send instead of text, one chunk each.</summary>
    public IReadOnlyList<ScriptedToolCall> ToolCalls { get; init; } = [];

    /// <summary>Gets the finish reason; null sends none.</summary>
    public string? FinishReason { get; init; } = "stop";

    /// <summary>Gets the prompt tokens reported.</summary>
    public int PromptTokens { get; init; } = 10;

    /// <summary>Gets the completion tokens reported; the word count when null.</summary>
    public int? CompletionTokens { get; init; }

    /// <summary>Gets the wait before the status line (non-streamed) or before the first chunk (streamed).</summary>
    public TimeSpan FirstDelay { get; init; }

    /// <summary>Gets the wait between streamed chunks.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Gets the number of content chunks after which the stream is cut; null for no cut.</summary>
    public int? CutAfter { get; init; }

    /// <summary>Gets how the stream is cut.</summary>
    public CutMode CutMode { get; init; } = CutMode.Abort;

    /// <summary>Gets the number of content chunks after which an error event is sent; null for none.</summary>
    public int? ErrorAfter { get; init; }

    /// <summary>Gets the error event's JSON object, sent as <c>{"error": ...}</c>.</summary>
    public string StreamError { get; init; } =
        """{"message":"The server is overloaded.","type":"server_error","code":"overloaded"}""";

    /// <summary>Gets the number of content chunks after which a malformed line is sent; null for none.</summary>
    public int? MalformedAfter { get; init; }

    /// <summary>Creates an error reply.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="code">The error code in the body.</param>
    /// <param name="message">The error message in the body.</param>
    /// <param name="headers">Headers to add.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply Error(
        int status,
        string code = "error",
        string message = "scripted error",
        IReadOnlyDictionary<string, string>? headers = null) =>
        new()
        {
            Status = status,
            ErrorBody =
                $$$"""{"error":{"message":"{{{message}}}","type":"invalid_request_error","param":null,"code":"{{{code}}}"}}""",
            Headers = headers ?? new Dictionary<string, string>(),
        };

    /// <summary>Creates a text of <paramref name="count"/> words, <c>w0 w1 ...</c>.</summary>
    /// <param name="count">The number of words.</param>
    /// <returns>The text.</returns>
    public static string Words(int count) => string.Join(' ', Enumerable.Range(0, count).Select(i => "w" + i));
}

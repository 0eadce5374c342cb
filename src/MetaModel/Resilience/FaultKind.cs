namespace MetaModel.Resilience;

/// <summary>What kind of fault ended an attempt, as read from the exception, its status and its error body.</summary>
public enum FaultKind
{
    /// <summary>An error of no known kind; failed over by default.</summary>
    Unknown,

    /// <summary>The provider refused for rate or quota reasons (HTTP 429).</summary>
    RateLimited,

    /// <summary>The provider is overloaded or unavailable (HTTP 503, 529, or an <c>overloaded</c> error code).</summary>
    Overloaded,

    /// <summary>Any other server error (HTTP 500, 502, 504 and other 5xx).</summary>
    ServerError,

    /// <summary>The attempt took too long: an attempt timeout, HTTP 408, or a timeout of the transport.</summary>
    Timeout,

    /// <summary>The connection failed or was reset, with no HTTP status.</summary>
    Network,

    /// <summary>A stream ended without a finish reason.</summary>
    StreamTruncated,

    /// <summary>A stream sent an update that could not be read.</summary>
    StreamMalformed,

    /// <summary>A stream that had started normally sent an error.</summary>
    StreamError,

    /// <summary>The prompt plus the requested output does not fit the model's context window.</summary>
    ContextLengthExceeded,

    /// <summary>The provider's content filter refused the prompt or the answer.</summary>
    ContentFiltered,

    /// <summary>The request was refused as malformed or unsupported (HTTP 400, 422 and other 4xx not listed here).</summary>
    BadRequest,

    /// <summary>The credentials were refused (HTTP 401 or 403).</summary>
    Unauthorized,

    /// <summary>The model or deployment does not exist (HTTP 404).</summary>
    NotFound,

    /// <summary>The caller cancelled the request.</summary>
    Cancelled,
}

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;

namespace MetaModel.Resilience;

/// <summary>
/// The default reading of a failed attempt: the HTTP status, <c>Retry-After</c> and error code are taken from
/// <see cref="HttpRequestException"/>, from the OpenAI client's <see cref="ClientResultException"/> (status, raw
/// headers and error body), and from MetaModel's own timeout and stream exceptions.
/// </summary>
/// <remarks>
/// <para>The table, in order of precedence:</para>
/// <list type="table">
/// <item><term>caller cancellation</term><description><see cref="FaultKind.Cancelled"/>, stop.</description></item>
/// <item><term>429</term><description><see cref="FaultKind.RateLimited"/>, retry; counts against health.</description></item>
/// <item><term>408, timeouts</term><description><see cref="FaultKind.Timeout"/>, retry; counts.</description></item>
/// <item><term>503, 529</term><description><see cref="FaultKind.Overloaded"/>, retry; counts.</description></item>
/// <item><term>other 5xx</term><description><see cref="FaultKind.ServerError"/>, retry; counts.</description></item>
/// <item><term>no status, reset</term><description><see cref="FaultKind.Network"/>, retry; counts.</description></item>
/// <item><term>broken stream</term><description>stream kinds, retry; counts.</description></item>
/// <item>
/// <term>400 context length</term>
/// <description><see cref="FaultKind.ContextLengthExceeded"/>, fail over to a larger window; does not count.</description>
/// </item>
/// <item>
/// <term>400 content filter</term>
/// <description><see cref="FaultKind.ContentFiltered"/>, stop; does not count.</description>
/// </item>
/// <item><term>other 4xx</term><description><see cref="FaultKind.BadRequest"/>, fail over; does not count.</description></item>
/// <item><term>401, 403</term><description><see cref="FaultKind.Unauthorized"/>, stop; counts.</description></item>
/// <item><term>404</term><description><see cref="FaultKind.NotFound"/>, fail over; counts.</description></item>
/// <item><term>anything else</term><description><see cref="FaultKind.Unknown"/>, fail over; counts.</description></item>
/// </list>
/// <para>The methods are pure and thread-safe.</para>
/// </remarks>
public static class FaultClassifier
{
    private static readonly string[] s_contextLengthCodes = ["context_length_exceeded", "string_above_max_length"];
    private static readonly string[] s_contextLengthPhrases =
        ["maximum context length", "context length", "context window", "too many tokens", "prompt is too long"];
    private static readonly string[] s_contentFilterCodes = ["content_filter", "content_policy_violation"];
    private static readonly string[] s_contentFilterPhrases = ["content management policy", "content filter", "content policy"];

    /// <summary>Classifies the error that ended an attempt.</summary>
    /// <param name="error">The error.</param>
    /// <param name="now">The current time, to turn an HTTP-date <c>Retry-After</c> into a delay.</param>
    /// <returns>The classification.</returns>
    public static FaultClassification Classify(Exception error, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(error);

        switch (error)
        {
            case ResponseIncompleteException { InnerException: { } cause }:
                return Classify(cause, now);
            case AggregateException { InnerExceptions.Count: 1 } aggregate:
                return Classify(aggregate.InnerExceptions[0], now);
            case TimeoutException:
                return new(FaultKind.Timeout, FaultAction.Retry, AffectsHealth: true);
            case OperationCanceledException { InnerException: TimeoutException }:
                // The HTTP client reports its own timeout as a cancellation wrapping a TimeoutException.
                return new(FaultKind.Timeout, FaultAction.Retry, AffectsHealth: true);
            case OperationCanceledException:
                return new(FaultKind.Cancelled, FaultAction.Stop, AffectsHealth: false);
            case StreamFaultException stream:
                return FromStreamFault(stream);
            case ClientResultException result:
                return FromClientResult(result, now);
            case HttpRequestException { StatusCode: { } status }:
                return FromStatus((int)status, errorCode: null, message: error.Message, retryAfter: null);
            case HttpRequestException:
            case IOException:
            case SocketException:
                return new(FaultKind.Network, FaultAction.Retry, AffectsHealth: true);
            case JsonException:
                return new(FaultKind.StreamMalformed, FaultAction.Retry, AffectsHealth: true);
            default:
                return new(FaultKind.Unknown, FaultAction.FailOver, AffectsHealth: true);
        }
    }

    /// <summary>Classifies an HTTP status with the provider's error code and message.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="errorCode">The provider's error code, or <see langword="null"/>.</param>
    /// <param name="message">The provider's error message, or <see langword="null"/>.</param>
    /// <param name="retryAfter">The delay the provider asked for, or <see langword="null"/>.</param>
    /// <returns>The classification.</returns>
    public static FaultClassification FromStatus(int status, string? errorCode, string? message, TimeSpan? retryAfter)
    {
        (FaultKind kind, FaultAction action, bool health) = status switch
        {
            429 => (FaultKind.RateLimited, FaultAction.Retry, true),
            408 => (FaultKind.Timeout, FaultAction.Retry, true),
            503 or 529 => (FaultKind.Overloaded, FaultAction.Retry, true),
            >= 500 => (FaultKind.ServerError, FaultAction.Retry, true),
            401 or 403 => (FaultKind.Unauthorized, FaultAction.Stop, true),
            404 => (FaultKind.NotFound, FaultAction.FailOver, true),
            _ when IsContextLength(errorCode, message) => (FaultKind.ContextLengthExceeded, FaultAction.FailOver, false),
            _ when IsContentFilter(errorCode, message) => (FaultKind.ContentFiltered, FaultAction.Stop, false),
            >= 400 => (FaultKind.BadRequest, FaultAction.FailOver, false),
            _ => (FaultKind.Unknown, FaultAction.FailOver, true),
        };

        return new FaultClassification(kind, action, health, status, retryAfter, errorCode);
    }

    /// <summary>Reads the delay a provider asked for from its response headers.</summary>
    /// <param name="retryAfterMilliseconds">The <c>retry-after-ms</c> header, which takes precedence.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> header: seconds, or an HTTP date.</param>
    /// <param name="now">The current time, for an HTTP date.</param>
    /// <returns>
    /// The delay, never negative, and <see cref="TimeSpan.MaxValue"/> when the provider asked for more than a
    /// <see cref="TimeSpan"/> holds; <see langword="null"/> when neither header can be read.
    /// </returns>
    public static TimeSpan? ParseRetryAfter(string? retryAfterMilliseconds, string? retryAfter, DateTimeOffset now)
    {
        if (double.TryParse(retryAfterMilliseconds, NumberStyles.Float, CultureInfo.InvariantCulture, out double ms) &&
            double.IsFinite(ms))
        {
            return FromMilliseconds(ms);
        }

        if (string.IsNullOrWhiteSpace(retryAfter))
        {
            return null;
        }

        if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) &&
            double.IsFinite(seconds))
        {
            return FromMilliseconds(seconds * 1000);
        }

        if (DateTimeOffset.TryParseExact(
                retryAfter.Trim(),
                "r",
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal,
                out DateTimeOffset date))
        {
            TimeSpan delay = date - now;
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>A header's delay, saturating at <see cref="TimeSpan.MaxValue"/>: a provider's number may be any size.</summary>
    private static TimeSpan FromMilliseconds(double milliseconds) =>
        milliseconds <= 0 ? TimeSpan.Zero
        : milliseconds >= TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.MaxValue
        : TimeSpan.FromMilliseconds(milliseconds);

    private static FaultClassification FromClientResult(ClientResultException error, DateTimeOffset now)
    {
        if (error.Status == 0)
        {
            // No response was received: the transport failed.
            return error.InnerException is { } inner
                ? Classify(inner, now)
                : new(FaultKind.Network, FaultAction.Retry, AffectsHealth: true);
        }

        PipelineResponse? response = error.GetRawResponse();
        TimeSpan? retryAfter = null;
        string? code = null;
        string? message = error.Message;
        if (response is not null)
        {
            _ = response.Headers.TryGetValue("retry-after-ms", out string? milliseconds);
            _ = response.Headers.TryGetValue("Retry-After", out string? header);
            retryAfter = ParseRetryAfter(milliseconds, header, now);
            (code, string? bodyMessage) = ReadErrorBody(response);
            message = bodyMessage ?? message;
        }

        return FromStatus(error.Status, code, message, retryAfter);
    }

    private static FaultClassification FromStreamFault(StreamFaultException error)
    {
        string? code = error.ErrorCode;
        if (IsContextLength(code, null))
        {
            return new(FaultKind.ContextLengthExceeded, FaultAction.FailOver, AffectsHealth: false, ErrorCode: code);
        }

        if (IsContentFilter(code, null))
        {
            return new(FaultKind.ContentFiltered, FaultAction.Stop, AffectsHealth: false, ErrorCode: code);
        }

        FaultKind kind = code is not null && code.Contains("rate_limit", StringComparison.OrdinalIgnoreCase)
            ? FaultKind.RateLimited
            : error.Kind;
        return new(kind, FaultAction.Retry, AffectsHealth: true, ErrorCode: code);
    }

    private static (string? Code, string? Message) ReadErrorBody(PipelineResponse response)
    {
        BinaryData content;
        try
        {
            content = response.Content;
        }
        catch (InvalidOperationException)
        {
            // The body was not buffered (a streamed response); the status alone must do.
            return (null, null);
        }

        if (content.ToMemory().IsEmpty)
        {
            return (null, null);
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(content.ToMemory());
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("error", out JsonElement body) ||
                body.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            return (ReadString(body, "code") ?? ReadString(body, "type"), ReadString(body, "message"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static bool IsContextLength(string? code, string? message) =>
        Matches(code, message, s_contextLengthCodes, s_contextLengthPhrases);

    private static bool IsContentFilter(string? code, string? message) =>
        Matches(code, message, s_contentFilterCodes, s_contentFilterPhrases);

    private static bool Matches(string? code, string? message, string[] codes, string[] phrases)
    {
        if (code is not null && Array.Exists(codes, c => string.Equals(c, code, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return message is not null && Array.Exists(phrases, p => message.Contains(p, StringComparison.OrdinalIgnoreCase));
    }
}

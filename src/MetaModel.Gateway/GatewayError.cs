using System.Globalization;
using MetaModel.Gateway.Wire;
using MetaModel.Resilience;
using MetaModel.Routing;

namespace MetaModel.Gateway;

/// <summary>An error answer with its HTTP status, in OpenAI's shape and vocabulary.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Body">The body.</param>
internal sealed record GatewayError(int Status, ErrorBody Body)
{
    /// <summary>The requests the gateway serves, as an unknown URL's message lists them.</summary>
    private const string Served = "POST /v1/chat/completions, GET /v1/models and GET /v1/models/{id}";

    /// <summary>Gets how long the client should wait before retrying, sent as <c>Retry-After</c>; none when null.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static GatewayError InvalidJson(string detail) =>
        Create(
            StatusCodes.Status400BadRequest,
            $"The request body is not valid JSON: {detail}",
            "invalid_request_error",
            null,
            "invalid_json");

    public static GatewayError Invalid(string message, string? param, string code = "invalid_value") =>
        Create(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code);

    public static GatewayError Unsupported(string param) =>
        Create(
            StatusCodes.Status400BadRequest,
            $"The gateway does not support '{param}'.",
            "invalid_request_error",
            param,
            "unsupported_parameter");

    public static GatewayError ModelNotFound(string model) =>
        Create(
            StatusCodes.Status404NotFound,
            $"The model '{model}' does not exist or you do not have access to it; GET /v1/models lists yours.",
            "invalid_request_error",
            "model",
            "model_not_found");

    public static GatewayError TooLarge(string message, string? param = null) =>
        Create(StatusCodes.Status413PayloadTooLarge, message, "invalid_request_error", param, "request_too_large");

    public static GatewayError InvalidApiKey(bool missing) =>
        Create(
            StatusCodes.Status401Unauthorized,
            missing
                ? "No API key was provided: send it as 'Authorization: Bearer YOUR_KEY'."
                : "Incorrect API key provided.",
            "invalid_request_error",
            null,
            "invalid_api_key");

    /// <summary>
    /// The prompt and the completion asked for need more tokens than the context window of any model that may answer:
    /// no candidate could ever take the request, so it is refused before the budget is consulted.
    /// </summary>
    public static GatewayError ContextLengthExceeded(int largestWindow, int inputTokens, int outputTokens) =>
        Create(
            StatusCodes.Status400BadRequest,
            string.Create(
                CultureInfo.InvariantCulture,
                $"This request needs about {(long)inputTokens + outputTokens} tokens ({inputTokens} in the messages, " +
                $"{outputTokens} in the completion), more than the largest context window of the models that may " +
                $"answer it, {largestWindow} tokens. Reduce the length of the messages or max_tokens."),
            "invalid_request_error",
            "messages",
            "context_length_exceeded");

    public static GatewayError QuotaExceeded(
        string tenant,
        decimal remainingUsd,
        decimal estimateUsd,
        int inputTokens,
        int outputTokens) =>
        Create(
            StatusCodes.Status429TooManyRequests,
            remainingUsd <= 0
                ? $"Tenant '{tenant}' has no budget left in the current period, counting what the requests still running " +
                    "have reserved."
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"Tenant '{tenant}' has {remainingUsd} USD of its budget left in the current period, net of the " +
                    $"requests still running, less than this request may cost: {estimateUsd} USD for about " +
                    $"{inputTokens} prompt tokens and up to {outputTokens} completion tokens at the prices of the dearest " +
                    $"model that may answer it. Lower max_tokens, or wait for the period to end."),
            "insufficient_quota",
            null,
            "insufficient_quota");

    /// <summary>
    /// No candidate can serve the request: 400 when the request itself rules every candidate out, 503 (with
    /// <c>Retry-After</c> when known) when candidates that could serve it are cooling down, out of capacity or budget.
    /// </summary>
    public static GatewayError NoEligibleCandidate(NoEligibleCandidateException error, DateTimeOffset now) => new(
        error is CandidatesUnavailableException ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest,
        new ErrorBody
        {
            Error = new ErrorDetail
            {
                Message = error.Message,
                Type = error is CandidatesUnavailableException ? "server_error" : "invalid_request_error",
                Param = error is CandidatesUnavailableException ? null : "messages",
                Code = error is CandidatesUnavailableException ? "candidates_unavailable" : "no_eligible_candidate",
                Exclusions = error.Exclusions
                    .Select(e => new ExclusionEntry { Candidate = e.CandidateId, Kind = e.Kind.ToString(), Reason = e.Reason })
                    .ToArray(),
            },
        })
    {
        RetryAfter = error is CandidatesUnavailableException { EarliestAvailableAt: { } at } && at > now ? at - now : null,
    };

    /// <summary>
    /// Every candidate tried failed: the message names each candidate with the kind of its fault, and the decision,
    /// but never an exception's message, which may name internal hosts; the gateway's log has those.
    /// </summary>
    public static GatewayError AllCandidatesFailed(RoutingFailedException error)
    {
        IEnumerable<string> faults = error.Attempts
            .Select(a => $"{a.CandidateId}: {Describe(a.Fault)}")
            .Concat(error.Skipped.Select(s => $"{s.CandidateId}: not tried ({Describe(s.Kind)})"));
        string list = string.Join("; ", faults);
        string message = (list.Length == 0 ? "Every candidate failed." : $"Every candidate failed: {list}.") +
            Decision(error.DecisionId);
        return Create(StatusCodes.Status502BadGateway, message, "server_error", null, "all_candidates_failed");
    }

    /// <summary>A streamed answer broke off after part of it reached the client: the part is not a whole answer.</summary>
    /// <remarks>The message names the candidate, the kind of fault and the decision, never the cause's message.</remarks>
    public static GatewayError ResponseIncomplete(ResponseIncompleteException error) =>
        ResponseIncomplete(error.CandidateId, Describe(error.Fault), error.DecisionId);

    /// <summary>A streamed answer broke off after part of it reached the client: the part is not a whole answer.</summary>
    /// <param name="candidateId">The candidate whose answer broke off; none when empty.</param>
    /// <param name="fault">The kind of fault, in words, such as "connection failed".</param>
    /// <param name="decisionId">The routing decision; none when empty.</param>
    public static GatewayError ResponseIncomplete(string candidateId, string fault, string decisionId)
    {
        string who = string.IsNullOrEmpty(candidateId) ? "The answer" : $"The answer of candidate '{candidateId}'";
        return Create(
            StatusCodes.Status502BadGateway,
            $"{who} broke off before it ended ({fault}); the part streamed is not a whole answer.{Decision(decisionId)}",
            "server_error",
            null,
            "response_incomplete");
    }

    /// <summary>Describes a fault for the caller: its kind, and the provider's HTTP status when one was received.</summary>
    /// <param name="fault">How the fault was classified.</param>
    /// <returns>Words such as "connection failed" or "throttled (429)"; never an exception's message.</returns>
    public static string Describe(FaultClassification fault) =>
        fault.StatusCode is { } status
            ? string.Create(CultureInfo.InvariantCulture, $"{Describe(fault.Kind)} ({status})")
            : Describe(fault.Kind);

    /// <summary>Describes a kind of fault for the caller.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Words such as "connection failed".</returns>
    public static string Describe(FaultKind kind) => kind switch
    {
        FaultKind.RateLimited => "throttled",
        FaultKind.Overloaded => "overloaded",
        FaultKind.ServerError => "server error",
        FaultKind.Timeout => "timed out",
        FaultKind.Network => "connection failed",
        FaultKind.StreamTruncated => "stream cut short",
        FaultKind.StreamMalformed => "malformed stream",
        FaultKind.StreamError => "error in the stream",
        FaultKind.ContextLengthExceeded => "context length exceeded",
        FaultKind.ContentFiltered => "content filtered",
        FaultKind.BadRequest => "request refused",
        FaultKind.Unauthorized => "credentials refused",
        FaultKind.NotFound => "model not found",
        FaultKind.Cancelled => "cancelled",
        _ => "failed",
    };

    /// <summary>Describes why a candidate was not tried, for the caller.</summary>
    private static string Describe(ExclusionKind kind) => kind switch
    {
        ExclusionKind.Unavailable => "unavailable",
        ExclusionKind.ContextWindow => "context window too small",
        ExclusionKind.MissingCapability => "missing capability",
        ExclusionKind.Constraint => "excluded by a constraint",
        ExclusionKind.NotRequested => "not requested",
        _ => "excluded",
    };

    private static string Decision(string decisionId) =>
        string.IsNullOrEmpty(decisionId) ? string.Empty : $" Decision {decisionId}; the gateway's log has the details.";

    /// <summary>The error body of a refusal that no endpoint wrote: an unknown path, a wrong method, or another status.</summary>
    /// <param name="request">The request refused.</param>
    /// <param name="response">The bodiless answer, with its status and, for 405, its <c>Allow</c> header.</param>
    public static GatewayError ForStatus(HttpRequest request, HttpResponse response)
    {
        string target = $"{request.Method} {request.PathBase}{request.Path}";
        return response.StatusCode switch
        {
            StatusCodes.Status404NotFound => Create(
                StatusCodes.Status404NotFound,
                $"Unknown request URL: {target}. The gateway serves {Served}.",
                "invalid_request_error",
                null,
                "unknown_url"),
            StatusCodes.Status405MethodNotAllowed => Create(
                StatusCodes.Status405MethodNotAllowed,
                $"Method not allowed: {target}." +
                    (response.Headers.Allow.Count > 0 ? $" Allowed: {response.Headers.Allow}." : string.Empty) +
                    $" The gateway serves {Served}.",
                "invalid_request_error",
                null,
                "method_not_allowed"),
            int status => Create(
                status,
                string.Create(CultureInfo.InvariantCulture, $"The request {target} was refused with HTTP status {status}."),
                status >= 500 ? "server_error" : "invalid_request_error",
                null,
                null),
        };
    }

    public static GatewayError Internal() =>
        Create(
            StatusCodes.Status500InternalServerError,
            "The gateway failed to process the request.",
            "server_error",
            null,
            null);

    private static GatewayError Create(int status, string message, string type, string? param, string? code) =>
        new(status, new ErrorBody { Error = new ErrorDetail { Message = message, Type = type, Param = param, Code = code } });
}

namespace MetaModel.Gateway;

/// <summary>The gateway's log messages, with stable event ids; no key, prompt or answer is ever logged.</summary>
internal static partial class Log
{
    /// <remarks><paramref name="key"/> is "no API key" or "an unknown API key"; never the key itself.</remarks>
    [LoggerMessage(
        1001,
        LogLevel.Information,
        "Refused a request from {RemoteAddress} with {Key}.",
        EventName = "Unauthenticated")]
    private static partial void Unauthenticated(ILogger logger, string remoteAddress, string key);

    public static void Unauthenticated(ILogger logger, string remoteAddress, bool missing) =>
        Unauthenticated(logger, remoteAddress, missing ? "no API key" : "an unknown API key");

    [LoggerMessage(
        1002,
        LogLevel.Warning,
        "Tenant {TenantId} has {RemainingUsd} USD of its budget left in the current period, less than a request's "
        + "estimated cost of {EstimateUsd} USD; the request is refused.",
        EventName = "BudgetExhausted")]
    public static partial void BudgetExhausted(ILogger logger, string tenantId, decimal remainingUsd, decimal estimateUsd);

    [LoggerMessage(
        1003,
        LogLevel.Warning,
        "Tenant {TenantId}: every candidate failed for decision {DecisionId}: {Failures}",
        EventName = "AllCandidatesFailed")]
    public static partial void AllCandidatesFailed(ILogger logger, string tenantId, string decisionId, string? failures);

    /// <remarks>
    /// <paramref name="detail"/> is the cause's message with credentials redacted: the caller's error event has only
    /// the kind of fault.
    /// </remarks>
    [LoggerMessage(
        1004,
        LogLevel.Warning,
        "Tenant {TenantId}: a streamed answer broke after it started ({ErrorKind}): {Detail}",
        EventName = "StreamBroken")]
    public static partial void StreamBroken(ILogger logger, string tenantId, string errorKind, string? detail);

    [LoggerMessage(
        1005,
        LogLevel.Error,
        "Tenant {TenantId}: the request failed inside the gateway; answered 500.",
        EventName = "RequestFaulted")]
    public static partial void RequestFaulted(ILogger logger, string tenantId, Exception exception);
}

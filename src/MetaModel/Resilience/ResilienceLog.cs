using Microsoft.Extensions.Logging;

namespace MetaModel.Resilience;

/// <summary>The log messages of retries, failover gates and candidate health, with stable event ids for filtering.</summary>
internal static partial class ResilienceLog
{
    [LoggerMessage(
        100,
        LogLevel.Warning,
        "Candidate {CandidateId} health: {Previous} -> {Current} ({Reason}); available at {AvailableAt}.",
        EventName = "CandidateHealthChanged")]
    public static partial void HealthChanged(
        ILogger logger,
        string candidateId,
        CandidateHealthState previous,
        CandidateHealthState current,
        string reason,
        DateTimeOffset? availableAt);

    [LoggerMessage(
        101,
        LogLevel.Information,
        "Decision {DecisionId}: retrying {CandidateId} (retry {Retry}) in {DelayMs} ms after {Fault}.",
        EventName = "RetryScheduled")]
    public static partial void RetryScheduled(
        ILogger logger,
        string decisionId,
        string candidateId,
        int retry,
        double delayMs,
        FaultKind fault);

    [LoggerMessage(
        102,
        LogLevel.Debug,
        "Decision {DecisionId}: skipped {CandidateId}: {Reason}.",
        EventName = "CandidateSkipped")]
    public static partial void CandidateSkipped(ILogger logger, string decisionId, string candidateId, string reason);

    [LoggerMessage(
        103,
        LogLevel.Information,
        "Decision {DecisionId}: no candidate is available; waiting {DelayMs} ms for the earliest to recover.",
        EventName = "WaitingForAvailability")]
    public static partial void WaitingForAvailability(ILogger logger, string decisionId, double delayMs);

    [LoggerMessage(
        104,
        LogLevel.Warning,
        "Decision {DecisionId}: the answer of {CandidateId} broke off after {UpdateCount} updates ({Fault}).",
        EventName = "ResponseIncomplete")]
    public static partial void ResponseIncomplete(
        ILogger logger,
        string decisionId,
        string candidateId,
        int updateCount,
        FaultKind fault);
}

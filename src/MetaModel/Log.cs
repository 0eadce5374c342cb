using Microsoft.Extensions.Logging;

namespace MetaModel;

/// <summary>MetaModel's log messages, with stable event ids for filtering.</summary>
internal static partial class Log
{
    [LoggerMessage(
        1,
        LogLevel.Debug,
        "Decision {DecisionId}: {PolicyName} chose {CandidateId} ({Reason}).",
        EventName = "Decided")]
    public static partial void Decided(ILogger logger, string decisionId, string policyName, string candidateId, string reason);

    [LoggerMessage(
        2,
        LogLevel.Warning,
        "Decision {DecisionId}: no candidate can serve the request. {Exclusions}",
        EventName = "NoEligibleCandidate")]
    public static partial void NoEligibleCandidate(ILogger logger, string decisionId, string exclusions);

    [LoggerMessage(
        3,
        LogLevel.Warning,
        "Decision {DecisionId}: attempt {AttemptNumber} on {CandidateId} failed with {ErrorKind}; failing over: {WillFailOver}.",
        EventName = "AttemptFailed")]
    public static partial void AttemptFailed(
        ILogger logger,
        string decisionId,
        int attemptNumber,
        string candidateId,
        string errorKind,
        bool willFailOver);

    [LoggerMessage(
        4,
        LogLevel.Information,
        "Quality feedback for unknown or expired decision {Id} was ignored.",
        EventName = "FeedbackUnmatched")]
    public static partial void FeedbackUnmatched(ILogger logger, string id);

    [LoggerMessage(
        5,
        LogLevel.Error,
        "Policy {PolicyName} failed to learn from decision {DecisionId}; the request was not affected.",
        EventName = "PolicyLearningFailed")]
    public static partial void PolicyLearningFailed(ILogger logger, string policyName, string decisionId, Exception exception);

    [LoggerMessage(
        6,
        LogLevel.Debug,
        "Decision {DecisionId}: answered by {CandidateId} after {AttemptCount} attempt(s), cost {CostUsd} USD.",
        EventName = "RequestSucceeded")]
    public static partial void RequestSucceeded(
        ILogger logger,
        string decisionId,
        string candidateId,
        int attemptCount,
        decimal costUsd);

    [LoggerMessage(
        7,
        LogLevel.Warning,
        "Decision {DecisionId}: the request ended without a whole answer ({Outcome}, {ErrorKind}) after {AttemptCount} " +
        "attempt(s).",
        EventName = "RequestFailed")]
    public static partial void RequestFailed(
        ILogger logger,
        string decisionId,
        string outcome,
        string errorKind,
        int attemptCount);

    [LoggerMessage(8, LogLevel.Trace, "Decision {DecisionId}: prompt {Prompt}", EventName = "PromptContent")]
    public static partial void PromptContent(ILogger logger, string decisionId, string prompt);

    [LoggerMessage(
        9,
        LogLevel.Warning,
        "The app registered its own IChatClient ({Registered}), so GetRequiredService<IChatClient>() returns it and " +
        "requests sent to it are not routed by MetaModel '{Name}'. Resolve the metamodel with " +
        "GetRequiredKeyedService<IChatClient>(\"{Name}\"), or remove the other registration.",
        EventName = "PlainChatClientIsNotTheMetaModel")]
    public static partial void PlainChatClientIsNotTheMetaModel(ILogger logger, string registered, string name);
}

namespace MetaModel.Compliance;

/// <summary>How a routed request ended.</summary>
/// <param name="DecisionId">The decision.</param>
/// <param name="Timestamp">When the request ended.</param>
/// <param name="AnsweredBy">The candidate whose answer reached the caller, or <see langword="null"/>.</param>
/// <param name="Succeeded">Whether the caller received a complete answer.</param>
/// <param name="FinishReason">The finish reason the candidate gave, or <see langword="null"/>.</param>
/// <param name="Truncated">
/// Whether the answer is known to be incomplete: a stream that ended without a finish reason or with an error after
/// output, or a finish reason of <c>length</c>.
/// </param>
/// <param name="UpdateCount">For streaming, how many updates reached the caller.</param>
/// <param name="InputTokens">The prompt tokens the cost was computed from.</param>
/// <param name="OutputTokens">The completion tokens the cost was computed from.</param>
/// <param name="CostUsd">The cost in US dollars.</param>
/// <param name="CostIsEstimated">Whether the cost was estimated.</param>
/// <param name="EnergyWattHours">The estimated energy, or <see langword="null"/> when the candidate has no profile.</param>
/// <param name="Duration">The whole request's duration, all attempts included.</param>
/// <param name="ErrorKind">The error type name when the request failed.</param>
/// <param name="ErrorMessage">The error message when the request failed.</param>
public sealed record OutcomeRecord(
    string DecisionId,
    DateTimeOffset Timestamp,
    string? AnsweredBy,
    bool Succeeded,
    string? FinishReason,
    bool Truncated,
    int UpdateCount,
    long InputTokens,
    long OutputTokens,
    decimal CostUsd,
    bool CostIsEstimated,
    double? EnergyWattHours,
    TimeSpan Duration,
    string? ErrorKind,
    string? ErrorMessage);

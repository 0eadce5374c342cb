namespace MetaModel.Compliance;

/// <summary>One candidate invocation made for a decision.</summary>
/// <param name="DecisionId">The decision.</param>
/// <param name="AttemptNumber">The 1-based attempt number within the decision.</param>
/// <param name="CandidateId">The candidate invoked.</param>
/// <param name="Timestamp">When the attempt ended.</param>
/// <param name="Duration">The time spent in the candidate.</param>
/// <param name="TimeToFirstToken">For streaming, the time until the first update.</param>
/// <param name="Completed">Whether the candidate delivered a complete answer.</param>
/// <param name="OutputExposed">Whether any streamed output reached the caller.</param>
/// <param name="ErrorKind">The error's type name, or <see langword="null"/>.</param>
/// <param name="ErrorMessage">The error's message, or <see langword="null"/>.</param>
/// <param name="WillFailOver">Whether another candidate is tried after this attempt.</param>
public sealed record AttemptRecord(
    string DecisionId,
    int AttemptNumber,
    string CandidateId,
    DateTimeOffset Timestamp,
    TimeSpan Duration,
    TimeSpan? TimeToFirstToken,
    bool Completed,
    bool OutputExposed,
    string? ErrorKind,
    string? ErrorMessage,
    bool WillFailOver)
{
    /// <summary>Gets the kind of fault when the attempt failed, or <see langword="null"/>.</summary>
    public MetaModel.Resilience.FaultKind? Fault { get; init; }

    /// <summary>Gets what the router did after the fault, or <see langword="null"/>.</summary>
    public MetaModel.Resilience.FaultAction? Action { get; init; }

    /// <summary>Gets the HTTP status of the failure, when one was received.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets the delay the provider asked for, when it asked.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets a value indicating whether the attempt was the one probe of a candidate after a cooldown.</summary>
    public bool WasProbe { get; init; }
}

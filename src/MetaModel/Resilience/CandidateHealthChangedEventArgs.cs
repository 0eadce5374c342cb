namespace MetaModel.Resilience;

/// <summary>Describes a change of a candidate's circuit state.</summary>
public sealed class CandidateHealthChangedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="CandidateHealthChangedEventArgs"/> class.</summary>
    /// <param name="candidateId">The candidate.</param>
    /// <param name="previous">The state before.</param>
    /// <param name="current">The state after.</param>
    /// <param name="availableAt">The cooldown deadline, when cooling down.</param>
    /// <param name="reason">Why the state changed.</param>
    /// <param name="timestamp">When it changed.</param>
    public CandidateHealthChangedEventArgs(
        string candidateId,
        CandidateHealthState previous,
        CandidateHealthState current,
        DateTimeOffset? availableAt,
        string reason,
        DateTimeOffset timestamp)
    {
        CandidateId = candidateId;
        Previous = previous;
        Current = current;
        AvailableAt = availableAt;
        Reason = reason;
        Timestamp = timestamp;
    }

    /// <summary>Gets the candidate.</summary>
    public string CandidateId { get; }

    /// <summary>Gets the state before the change.</summary>
    public CandidateHealthState Previous { get; }

    /// <summary>Gets the state after the change.</summary>
    public CandidateHealthState Current { get; }

    /// <summary>Gets the cooldown deadline when the candidate is cooling down; otherwise <see langword="null"/>.</summary>
    public DateTimeOffset? AvailableAt { get; }

    /// <summary>Gets why the state changed.</summary>
    public string Reason { get; }

    /// <summary>Gets when the state changed.</summary>
    public DateTimeOffset Timestamp { get; }
}

namespace MetaModel.Resilience;

/// <summary>Thrown when an attempt on a candidate exceeded one of its timeouts.</summary>
/// <remarks>Classified as <see cref="FaultKind.Timeout"/>: retried or failed over while no output reached the caller.</remarks>
public sealed class AttemptTimeoutException : TimeoutException
{
    /// <summary>Initializes a new instance of the <see cref="AttemptTimeoutException"/> class.</summary>
    /// <param name="candidateId">The candidate that was too slow.</param>
    /// <param name="phase">Which timeout expired.</param>
    /// <param name="timeout">The timeout that expired.</param>
    /// <param name="innerException">The cancellation the timeout caused.</param>
    public AttemptTimeoutException(
        string candidateId,
        AttemptTimeoutPhase phase,
        TimeSpan timeout,
        Exception? innerException = null)
        : base(BuildMessage(candidateId, phase, timeout), innerException)
    {
        CandidateId = candidateId;
        Phase = phase;
        Timeout = timeout;
    }

    /// <summary>Initializes a new instance of the <see cref="AttemptTimeoutException"/> class.</summary>
    public AttemptTimeoutException()
        : this(string.Empty, AttemptTimeoutPhase.Attempt, TimeSpan.Zero)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AttemptTimeoutException"/> class.</summary>
    /// <param name="message">The message.</param>
    public AttemptTimeoutException(string message)
        : base(message)
    {
        CandidateId = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="AttemptTimeoutException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AttemptTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
        CandidateId = string.Empty;
    }

    /// <summary>Gets the candidate that was too slow.</summary>
    public string CandidateId { get; }

    /// <summary>Gets which timeout expired.</summary>
    public AttemptTimeoutPhase Phase { get; }

    /// <summary>Gets the timeout that expired.</summary>
    public TimeSpan Timeout { get; }

    private static string BuildMessage(string candidateId, AttemptTimeoutPhase phase, TimeSpan timeout) =>
        phase == AttemptTimeoutPhase.FirstUpdate
            ? $"Candidate '{candidateId}' sent no output within {timeout.TotalSeconds:0.###} s."
            : $"The attempt on candidate '{candidateId}' took longer than {timeout.TotalSeconds:0.###} s.";
}

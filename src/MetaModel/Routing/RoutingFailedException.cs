namespace MetaModel.Routing;

/// <summary>Thrown when every candidate tried for a request failed, or the attempt limit was reached.</summary>
/// <remarks>
/// <see cref="Attempts"/> carries every attempt's cause in order; <see cref="Exception.InnerException"/> is the last
/// one. Each candidate is tried at most once per request.
/// </remarks>
public sealed class RoutingFailedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="RoutingFailedException"/> class.</summary>
    /// <param name="decisionId">The decision whose attempts failed.</param>
    /// <param name="attempts">Every failed attempt, in order; at least one.</param>
    /// <param name="reason">Why routing stopped (candidates exhausted or attempt limit).</param>
    public RoutingFailedException(string decisionId, IReadOnlyList<AttemptFailure> attempts, string reason)
        : this(decisionId, attempts, [], reason)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RoutingFailedException"/> class.</summary>
    /// <param name="decisionId">The decision whose attempts failed.</param>
    /// <param name="attempts">Every failed attempt, in order; at least one.</param>
    /// <param name="skipped">The ranked candidates that were not tried, and why.</param>
    /// <param name="reason">Why routing stopped (candidates exhausted, attempt limit, or a final fault).</param>
    public RoutingFailedException(
        string decisionId,
        IReadOnlyList<AttemptFailure> attempts,
        IReadOnlyList<CandidateExclusion> skipped,
        string reason)
        : base(BuildMessage(attempts, skipped, reason), attempts.Count > 0 ? attempts[^1].Error : null)
    {
        DecisionId = decisionId;
        Attempts = attempts;
        Skipped = skipped;
    }

    /// <summary>Initializes a new instance of the <see cref="RoutingFailedException"/> class.</summary>
    public RoutingFailedException()
        : this(string.Empty, [], "no attempt was made")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RoutingFailedException"/> class.</summary>
    /// <param name="message">The message.</param>
    public RoutingFailedException(string message)
        : base(message)
    {
        DecisionId = string.Empty;
        Attempts = [];
        Skipped = [];
    }

    /// <summary>Initializes a new instance of the <see cref="RoutingFailedException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RoutingFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        DecisionId = string.Empty;
        Attempts = [];
        Skipped = [];
    }

    /// <summary>Gets the decision whose attempts failed.</summary>
    public string DecisionId { get; }

    /// <summary>Gets every failed attempt, in order.</summary>
    public IReadOnlyList<AttemptFailure> Attempts { get; }

    /// <summary>Gets the ranked candidates that were not tried, and why (cooling down, out of capacity or budget).</summary>
    public IReadOnlyList<CandidateExclusion> Skipped { get; }

    private static string BuildMessage(
        IReadOnlyList<AttemptFailure> attempts,
        IReadOnlyList<CandidateExclusion> skipped,
        string reason)
    {
        string message = $"Every attempt failed ({reason}): " + string.Join("; ", attempts.Select(a => a.ToString()));
        return skipped.Count == 0 ? message : message + ". Not tried: " + string.Join("; ", skipped) + ".";
    }
}

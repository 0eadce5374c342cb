namespace MetaModel.Routing;

/// <summary>Thrown when every candidate was excluded from a request, so no model may serve it.</summary>
/// <remarks>
/// The message names every candidate and the reason it was excluded; nothing was sent to any model. When the
/// request could be served later (candidates cooling down, out of capacity or budget), the derived
/// <see cref="MetaModel.Resilience.CandidatesUnavailableException"/> is thrown instead.
/// </remarks>
public class NoEligibleCandidateException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="NoEligibleCandidateException"/> class.</summary>
    /// <param name="decisionId">The id of the refused decision, as recorded.</param>
    /// <param name="exclusions">Every candidate's exclusion.</param>
    public NoEligibleCandidateException(string decisionId, IReadOnlyList<CandidateExclusion> exclusions)
        : this(decisionId, exclusions, BuildMessage(exclusions))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NoEligibleCandidateException"/> class.</summary>
    /// <param name="decisionId">The id of the refused decision, as recorded.</param>
    /// <param name="exclusions">Every candidate's exclusion.</param>
    /// <param name="message">The message.</param>
    protected NoEligibleCandidateException(string decisionId, IReadOnlyList<CandidateExclusion> exclusions, string message)
        : base(message)
    {
        DecisionId = decisionId;
        Exclusions = exclusions;
    }

    /// <summary>Initializes a new instance of the <see cref="NoEligibleCandidateException"/> class.</summary>
    public NoEligibleCandidateException()
        : this(string.Empty, [])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NoEligibleCandidateException"/> class.</summary>
    /// <param name="message">The message.</param>
    public NoEligibleCandidateException(string message)
        : base(message)
    {
        DecisionId = string.Empty;
        Exclusions = [];
    }

    /// <summary>Initializes a new instance of the <see cref="NoEligibleCandidateException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NoEligibleCandidateException(string message, Exception innerException)
        : base(message, innerException)
    {
        DecisionId = string.Empty;
        Exclusions = [];
    }

    /// <summary>Gets the id of the refused decision.</summary>
    public string DecisionId { get; }

    /// <summary>Gets every candidate's exclusion.</summary>
    public IReadOnlyList<CandidateExclusion> Exclusions { get; }

    /// <summary>Builds the message that lists every exclusion.</summary>
    /// <param name="exclusions">The exclusions.</param>
    /// <returns>The message.</returns>
    protected static string BuildMessage(IReadOnlyList<CandidateExclusion> exclusions) =>
        exclusions.Count == 0
            ? "No candidate can serve this request: the router has no candidates."
            : "No candidate can serve this request. " + string.Join("; ", exclusions.Select(e => e.ToString())) + ".";
}

using System.Globalization;
using MetaModel.Routing;

namespace MetaModel.Resilience;

/// <summary>
/// Thrown when no candidate can take a request now, but some could later: they are cooling down, out of
/// requests or tokens for the minute, or their budget is spent for the period.
/// </summary>
/// <remarks>
/// Nothing was sent to a model that was unavailable. <see cref="EarliestAvailableAt"/> says when the first of them
/// recovers, so that a caller can wait or tell its user; <see cref="FailoverOptions.MaxWaitForAvailability"/> makes
/// the router wait itself, up to a bound.
/// </remarks>
public sealed class CandidatesUnavailableException : NoEligibleCandidateException
{
    /// <summary>Initializes a new instance of the <see cref="CandidatesUnavailableException"/> class.</summary>
    /// <param name="decisionId">The id of the refused decision.</param>
    /// <param name="exclusions">Every candidate's exclusion or skip.</param>
    /// <param name="earliestAvailableAt">When the earliest candidate recovers, if known.</param>
    public CandidatesUnavailableException(
        string decisionId,
        IReadOnlyList<CandidateExclusion> exclusions,
        DateTimeOffset? earliestAvailableAt)
        : base(decisionId, exclusions, BuildUnavailableMessage(exclusions, earliestAvailableAt))
    {
        EarliestAvailableAt = earliestAvailableAt;
    }

    /// <summary>Initializes a new instance of the <see cref="CandidatesUnavailableException"/> class.</summary>
    public CandidatesUnavailableException()
        : this(string.Empty, [], null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CandidatesUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    public CandidatesUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CandidatesUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CandidatesUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets when the earliest unavailable candidate recovers, or <see langword="null"/> when unknown.</summary>
    public DateTimeOffset? EarliestAvailableAt { get; }

    private static string BuildUnavailableMessage(IReadOnlyList<CandidateExclusion> exclusions, DateTimeOffset? earliest)
    {
        string when = earliest is { } at
            ? $"The earliest candidate recovers at {at.ToString("O", CultureInfo.InvariantCulture)}. "
            : "";
        return "No candidate is available now. " + when + BuildMessage(exclusions);
    }
}

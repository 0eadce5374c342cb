namespace MetaModel.Resilience;

/// <summary>The limits and retry settings of one candidate, set in <see cref="FailoverOptions.Candidates"/>.</summary>
public sealed class CandidateLimits
{
    /// <summary>Gets or sets the most requests the candidate accepts per minute.</summary>
    /// <value>A positive number, or <see langword="null"/> for no limit. The default is <see langword="null"/>.</value>
    /// <remarks>
    /// Counted in fixed one-minute windows from the first request; every attempt, retries included, takes one.
    /// A candidate with no request left in the window is excluded until the window ends.
    /// </remarks>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Gets or sets the most tokens (estimated prompt plus requested output) per minute.</summary>
    /// <value>A positive number, or <see langword="null"/> for no limit. The default is <see langword="null"/>.</value>
    /// <remarks>
    /// A request whose estimate exceeds what is left of the window excludes the candidate until the window ends.
    /// </remarks>
    public int? TokensPerMinute { get; set; }

    /// <summary>Gets or sets how many times a failed attempt is retried on this candidate before failing over.</summary>
    /// <value>Zero or more, or <see langword="null"/> for <see cref="FailoverOptions.MaxRetriesPerCandidate"/>.</value>
    public int? MaxRetries { get; set; }

    /// <summary>Gets the ids of the candidates to try, in order, when this one fails, before the policy's ranking.</summary>
    /// <remarks>
    /// Only candidates eligible for the request are tried, each at most once. A chain that leads back to the
    /// candidate it starts from is rejected when the router is built.
    /// </remarks>
    public IList<string> Fallbacks { get; } = [];
}

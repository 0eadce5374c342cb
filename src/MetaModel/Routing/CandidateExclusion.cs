namespace MetaModel.Routing;

/// <summary>A candidate that could not serve a request, and why.</summary>
/// <param name="CandidateId">The excluded candidate's id.</param>
/// <param name="Kind">The kind of reason.</param>
/// <param name="Reason">A sentence a person can read, naming the capability, limit or constraint.</param>
public sealed record CandidateExclusion(string CandidateId, ExclusionKind Kind, string Reason)
{
    /// <summary>Gets when an <see cref="ExclusionKind.Unavailable"/> candidate recovers, if known.</summary>
    public DateTimeOffset? AvailableAt { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{CandidateId}: {Reason}";
}

namespace MetaModel.Resilience;

/// <summary>A candidate's health at one moment.</summary>
/// <param name="CandidateId">The candidate.</param>
/// <param name="State">Where it stands in its circuit.</param>
/// <param name="AvailableAt">
/// When it takes requests again: the cooldown deadline while cooling down, otherwise <see langword="null"/>.
/// </param>
/// <param name="ConsecutiveFailures">The failures in a row that count against health.</param>
/// <param name="LastFault">The last fault that counted against health, or <see langword="null"/>.</param>
public sealed record CandidateHealthSnapshot(
    string CandidateId,
    CandidateHealthState State,
    DateTimeOffset? AvailableAt,
    int ConsecutiveFailures,
    FaultKind? LastFault);

using MetaModel.Experiments;

namespace MetaModel.Compliance;

/// <summary>A routing decision: who asked, what was considered, what was chosen and why.</summary>
/// <param name="DecisionId">The decision's unique id.</param>
/// <param name="Timestamp">When the decision was made.</param>
/// <param name="RouterName">The name of the MetaModel instance.</param>
/// <param name="TenantId">The tenant, as the caller gave it; durable recorders store a keyed hash instead.</param>
/// <param name="UserKey">The user or session key, as the caller gave it; durable recorders store a keyed hash.</param>
/// <param name="RequestedModel">The model id the caller asked for, or <see langword="null"/> for the policy's choice.</param>
/// <param name="Streaming">Whether the request was streamed.</param>
/// <param name="EstimatedInputTokens">The estimated prompt size.</param>
/// <param name="PolicyName">The policy's name.</param>
/// <param name="PolicyVersion">The policy's version.</param>
/// <param name="Candidates">Every candidate with its eligibility and score.</param>
/// <param name="ChosenCandidateId">The first candidate to try, or <see langword="null"/> when none was eligible.</param>
/// <param name="Explored">Whether the choice was exploration.</param>
/// <param name="Reason">Why the choice was made, or why none was possible.</param>
public sealed record DecisionRecord(
    string DecisionId,
    DateTimeOffset Timestamp,
    string RouterName,
    string? TenantId,
    string? UserKey,
    string? RequestedModel,
    bool Streaming,
    int EstimatedInputTokens,
    string PolicyName,
    string PolicyVersion,
    IReadOnlyList<CandidateAssessment> Candidates,
    string? ChosenCandidateId,
    bool Explored,
    string Reason)
{
    /// <summary>Gets the experiment arm the request was assigned to, or <see langword="null"/> outside experiments.</summary>
    /// <value>An optional addition to the record: readers of older logs see <see langword="null"/>.</value>
    public ExperimentAssignment? Experiment { get; init; }
}

namespace MetaModel.Compliance;

/// <summary>A quality score that arrived after a response was delivered; appended, never edited.</summary>
/// <param name="DecisionId">The decision the score is for.</param>
/// <param name="Timestamp">When the score arrived.</param>
/// <param name="CandidateId">The candidate that answered.</param>
/// <param name="Quality">The score, from 0 to 1.</param>
/// <param name="AppliedToPolicy">
/// Whether the policy learned from it; only the first score of a decision trains the policy.
/// </param>
public sealed record FeedbackRecord(
    string DecisionId,
    DateTimeOffset Timestamp,
    string CandidateId,
    double Quality,
    bool AppliedToPolicy);

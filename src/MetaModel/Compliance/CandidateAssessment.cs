using MetaModel.Routing;

namespace MetaModel.Compliance;

/// <summary>How one candidate fared in a decision: excluded with a reason, or ranked with a score.</summary>
/// <param name="CandidateId">The candidate.</param>
/// <param name="Eligible">Whether it passed eligibility.</param>
/// <param name="Exclusion">The exclusion kind when not eligible.</param>
/// <param name="Reason">The exclusion reason when not eligible.</param>
/// <param name="Score">The policy's score when ranked; <see langword="null"/> when excluded or not ranked.</param>
/// <param name="Rank">The 1-based position in the try order when ranked.</param>
public sealed record CandidateAssessment(
    string CandidateId,
    bool Eligible,
    ExclusionKind? Exclusion,
    string? Reason,
    double? Score,
    int? Rank);

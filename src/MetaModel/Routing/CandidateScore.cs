using MetaModel.Candidates;

namespace MetaModel.Routing;

/// <summary>A candidate with the score a policy gave it for one request.</summary>
/// <param name="Candidate">The candidate.</param>
/// <param name="Score">The policy's score; higher is better. Its scale is the policy's own.</param>
public readonly record struct CandidateScore(IModelCandidate Candidate, double Score);

using Microsoft.Extensions.AI;

namespace MetaModel.Routing;

/// <summary>What happened when one candidate was tried for a request.</summary>
/// <param name="DecisionId">The decision the attempt belongs to.</param>
/// <param name="CandidateId">The candidate that was tried.</param>
/// <param name="Features">The request's feature vector.</param>
/// <param name="Succeeded">Whether the candidate delivered a complete answer.</param>
/// <param name="Error">The failure, or <see langword="null"/>.</param>
/// <param name="Duration">The time spent in the candidate.</param>
/// <param name="TimeToFirstToken">For streaming, the time until the first update.</param>
/// <param name="Usage">The token usage, when the attempt delivered an answer.</param>
/// <param name="CostUsd">The cost of the attempt in US dollars.</param>
/// <param name="CostIsEstimated">Whether <paramref name="CostUsd"/> was estimated rather than reported.</param>
public sealed record AttemptObservation(
    string DecisionId,
    string CandidateId,
    ReadOnlyMemory<float> Features,
    bool Succeeded,
    Exception? Error,
    TimeSpan Duration,
    TimeSpan? TimeToFirstToken,
    UsageDetails? Usage,
    decimal CostUsd,
    bool CostIsEstimated)
{
    /// <summary>Gets the request's estimated prompt size in tokens, the same for every attempt of the request.</summary>
    /// <value>Zero when unknown.</value>
    public int EstimatedInputTokens { get; init; }
}

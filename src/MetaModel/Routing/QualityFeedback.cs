namespace MetaModel.Routing;

/// <summary>A quality score for an earlier response, joined with what the router knew about its decision.</summary>
/// <param name="DecisionId">The decision that produced the response.</param>
/// <param name="CandidateId">The candidate that answered.</param>
/// <param name="Features">The request's feature vector.</param>
/// <param name="Quality">The score, from 0 (useless) to 1 (perfect).</param>
/// <param name="CostUsd">The cost of the answered request in US dollars.</param>
/// <param name="Latency">The time the answering candidate took.</param>
public sealed record QualityFeedback(
    string DecisionId,
    string CandidateId,
    ReadOnlyMemory<float> Features,
    double Quality,
    decimal CostUsd,
    TimeSpan Latency);

namespace MetaModel.Policies;

/// <summary>One historical outcome to warm-start a <see cref="BanditRoutingPolicy"/> with.</summary>
/// <param name="Features">The prompt's features, from the same featurizer the metamodel uses.</param>
/// <param name="CandidateId">The candidate that answered.</param>
/// <param name="Quality">The answer's quality, from 0 to 1.</param>
/// <param name="CostUsd">What the answer cost, in US dollars.</param>
/// <param name="InputTokens">The prompt's (estimated) size in tokens, for the candidate's cost per token.</param>
public readonly record struct BanditHistoryRecord(
    ReadOnlyMemory<float> Features,
    string CandidateId,
    double Quality,
    decimal CostUsd,
    int InputTokens);

namespace MetaModel.Routing;

/// <summary>How a response was routed: attached to every response that a <see cref="MetaModelChatClient"/> returns.</summary>
/// <param name="DecisionId">The decision's id, to report quality feedback for it later.</param>
/// <param name="CandidateId">The candidate that really answered.</param>
/// <param name="PolicyName">The policy that ranked the candidates.</param>
/// <param name="Explored">Whether the first choice was exploration.</param>
/// <param name="AttemptCount">How many candidates were invoked, the answering one included.</param>
/// <param name="CostUsd">The cost of the answer in US dollars.</param>
/// <param name="CostIsEstimated">Whether the cost was estimated rather than reported.</param>
/// <param name="EnergyWattHours">The estimated energy, when the candidate has an energy profile.</param>
public sealed record RoutingInfo(
    string DecisionId,
    string CandidateId,
    string PolicyName,
    bool Explored,
    int AttemptCount,
    decimal CostUsd,
    bool CostIsEstimated,
    double? EnergyWattHours);

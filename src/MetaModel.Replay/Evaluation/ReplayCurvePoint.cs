namespace MetaModel.Replay;

/// <summary>The cumulative accuracy and cost of a replay run after some number of requests.</summary>
/// <param name="Requests">Requests done so far.</param>
/// <param name="Accuracy">Mean recorded score of the chosen answers so far.</param>
/// <param name="CostUsd">Total cost so far, in US dollars.</param>
public readonly record struct ReplayCurvePoint(int Requests, double Accuracy, decimal CostUsd);

namespace MetaModel.Compliance.Energy;

/// <summary>One group of a usage report: requests, tokens, cost, energy and emissions.</summary>
/// <param name="Candidate">The candidate, when grouped by candidate; <c>(none)</c> for requests no candidate answered.</param>
/// <param name="Tenant">The tenant pseudonym, when grouped by tenant; <c>(none)</c> for requests without a tenant.</param>
/// <param name="Day">The UTC day, when grouped by day.</param>
/// <param name="Requests">How many requests ended (one outcome each).</param>
/// <param name="Failed">How many of them failed.</param>
/// <param name="InputTokens">The prompt tokens.</param>
/// <param name="OutputTokens">The completion tokens.</param>
/// <param name="CostUsd">The cost in US dollars.</param>
/// <param name="EstimatedCostRequests">How many requests' cost was estimated rather than reported.</param>
/// <param name="EnergyWh">The estimated energy in watt-hours.</param>
/// <param name="EmissionsGrams">The estimated emissions in grams of CO2 equivalent.</param>
/// <param name="RequestsWithoutEnergy">How many requests had no energy estimate (no profile for the candidate).</param>
public sealed record UsageRow(
    string? Candidate,
    string? Tenant,
    DateOnly? Day,
    long Requests,
    long Failed,
    long InputTokens,
    long OutputTokens,
    decimal CostUsd,
    long EstimatedCostRequests,
    double EnergyWh,
    double EmissionsGrams,
    long RequestsWithoutEnergy)
{
    /// <summary>
    /// Gets how many attempts failed (an error, or a stream cut off), counted against the candidate that made them:
    /// a request that failed over counts here for the candidate that failed and under <see cref="Requests"/> for the
    /// one that answered, so a candidate that only ever failed has a row with no requests.
    /// </summary>
    public long FailedAttempts { get; init; }
}

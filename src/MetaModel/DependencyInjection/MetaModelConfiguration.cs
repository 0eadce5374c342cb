using MetaModel.Resilience;

namespace MetaModel.DependencyInjection;

/// <summary>The shape of a metamodel's configuration section.</summary>
/// <remarks>
/// <code>
/// "MetaModel": {
///   "Name": "metamodel",
///   "MaxAttemptsPerRequest": 3,
///   "Constraints": [ { "Tag": "region", "Require": [ "eu" ] } ],
///   "TenantConstraints": { "acme": [ { "Tag": "provider", "Forbid": [ "x" ] } ] },
///   "Policy": { "Name": "cost-aware", "Settings": { "CostWeight": 0.3 } },
///   "Candidates": [ { "Id": "small", "ClientKey": "small", "InputPricePerMillion": 0.15, "OutputPricePerMillion": 0.6,
///                     "ContextWindow": 128000, "Capabilities": "Tools, Streaming", "Tags": { "region": "eu" } } ],
///   "Failover": { "MaxRetriesPerCandidate": 1, "AttemptTimeout": "00:01:00", "FirstUpdateTimeout": "00:00:10",
///                 "Candidates": { "small": { "RequestsPerMinute": 500, "Fallbacks": [ "large" ] } } },
///   "Budgets": [ { "TenantId": "acme", "Period": "Month", "LimitUsd": 250 } ],
///   "ReservedOutputTokens": 1024
/// }
/// </code>
/// </remarks>
public sealed class MetaModelConfiguration
{
    /// <summary>Gets or sets the metamodel's name.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the most candidates tried for one request.</summary>
    public int? MaxAttemptsPerRequest { get; set; }

    /// <summary>Gets or sets how many recent decisions are kept for later feedback.</summary>
    public int? FeedbackCapacity { get; set; }

    /// <summary>Gets the constraints every request must satisfy.</summary>
    public IList<ConstraintConfiguration> Constraints { get; } = [];

    /// <summary>Gets the constraints of each tenant.</summary>
    public IDictionary<string, List<ConstraintConfiguration>> TenantConstraints { get; } =
        new Dictionary<string, List<ConstraintConfiguration>>(StringComparer.Ordinal);

    /// <summary>Gets or sets the routing policy.</summary>
    public PolicyConfiguration? Policy { get; set; }

    /// <summary>Gets the candidates.</summary>
    public IList<CandidateConfiguration> Candidates { get; } = [];

    /// <summary>Gets or sets the retry, failover, cooldown, timeout and capacity settings.</summary>
    /// <remarks>
    /// Replaces <see cref="MetaModelOptions.Failover"/>; code configuration runs afterwards and may adjust it.
    /// </remarks>
    public FailoverOptions? Failover { get; set; }

    /// <summary>Gets the spending limits.</summary>
    public IList<BudgetConfiguration> Budgets { get; } = [];

    /// <summary>Gets or sets the output tokens a budget reservation assumes when a request sets no maximum.</summary>
    public int? ReservedOutputTokens { get; set; }

    /// <summary>
    /// Gets or sets the number of feature slots for the request's task label, as
    /// <see cref="MetaModelBuilder.UseTaskFeatures"/> does; unset or 0 leaves the label out of the features.
    /// </summary>
    public int? TaskFeatureSlots { get; set; }
}

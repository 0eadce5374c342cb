namespace MetaModel;

/// <summary>
/// Names of the <see cref="Microsoft.Extensions.AI.AdditionalPropertiesDictionary"/> entries that MetaModel reads
/// from requests and candidate responses, and writes onto the responses it returns.
/// </summary>
/// <remarks>
/// Entries that MetaModel reads from a request are removed before the request reaches a candidate, so they are
/// never sent to a model provider.
/// </remarks>
public static class MetaModelPropertyNames
{
    /// <summary>Request entry: the tenant the request is made for (a <see cref="string"/>).</summary>
    public const string TenantId = "metamodel.tenant_id";

    /// <summary>Request entry: the end user or session key the request is made for (a <see cref="string"/>).</summary>
    public const string UserKey = "metamodel.user_key";

    /// <summary>Request entry: extra tag constraints for this request only (a sequence of <c>TagConstraint</c>).</summary>
    public const string Constraints = "metamodel.constraints";

    /// <summary>
    /// Request entry: what the application knows the request is for, such as <c>"ticket-summary"</c> or
    /// <c>"sql"</c> (a <see cref="string"/>). A featurizer that encodes it (<c>TaskFeaturizer</c>) lets a learning
    /// policy learn which candidate suits each kind of request.
    /// </summary>
    public const string Task = "metamodel.task";

    /// <summary>
    /// Candidate response entry: the cost in USD that the provider reported for the call (a <see cref="decimal"/>
    /// or <see cref="double"/>). A positive value takes precedence over a cost computed from token counts.
    /// </summary>
    public const string ReportedCostUsd = "metamodel.reported_cost_usd";

    /// <summary>
    /// Candidate response entry: <see langword="true"/> when <see cref="ReportedCostUsd"/> is itself an estimate
    /// rather than a billed amount.
    /// </summary>
    public const string ReportedCostIsEstimated = "metamodel.reported_cost_is_estimated";

    /// <summary>Response entry written by MetaModel: the routing details (a <c>RoutingInfo</c>).</summary>
    public const string RoutingInfo = "metamodel.routing";

    /// <summary>Response and update entry written by MetaModel: the id of the candidate that answered.</summary>
    public const string CandidateId = "metamodel.candidate_id";

    /// <summary>Response entry written by MetaModel: the id of the routing decision, for later feedback.</summary>
    public const string DecisionId = "metamodel.decision_id";
}

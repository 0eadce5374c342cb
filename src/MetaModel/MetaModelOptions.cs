using MetaModel.Costs;
using MetaModel.Resilience;
using MetaModel.Routing;

namespace MetaModel;

/// <summary>Settings of a <see cref="MetaModelChatClient"/>.</summary>
public sealed class MetaModelOptions
{
    /// <summary>The name used when none is given.</summary>
    public const string DefaultName = "metamodel";

    /// <summary>Gets or sets the name of this metamodel.</summary>
    /// <value>
    /// The name recorded with every decision, used as the service key of the keyed <c>IChatClient</c>, and accepted in
    /// <c>ChatOptions.ModelId</c> to mean "let the policy choose". The default is <c>metamodel</c>.
    /// </value>
    public string Name { get; set; } = DefaultName;

    /// <summary>Gets or sets the most attempts made for one request, retries included.</summary>
    /// <value>
    /// A positive number; the default is 3. Each candidate is tried at most once per request unless retries are
    /// configured in <see cref="Failover"/>.
    /// </value>
    public int MaxAttemptsPerRequest { get; set; } = 3;

    /// <summary>Gets the tag constraints every request must satisfy, such as <c>region in [eu]</c>.</summary>
    public IList<TagConstraint> Constraints { get; } = [];

    /// <summary>Gets the tag constraints of each tenant, applied to requests that name the tenant.</summary>
    public IDictionary<string, IList<TagConstraint>> TenantConstraints { get; } =
        new Dictionary<string, IList<TagConstraint>>(StringComparer.Ordinal);

    /// <summary>Gets or sets how many recent decisions are kept to match quality feedback that arrives later.</summary>
    /// <value>
    /// The default is 100,000; at most <see cref="Array.MaxLength"/> divided by the featurizer's dimension. Feedback
    /// for an older decision is refused; memory is about 100 bytes plus the feature vector per kept decision.
    /// </value>
    public int FeedbackCapacity { get; set; } = 100_000;

    /// <summary>Gets or sets whether traces and logs may carry prompts, answers and user keys.</summary>
    /// <value>
    /// The default is <see langword="false"/>: spans and logs carry ids, names, counts, costs and timings only. When
    /// <see langword="true"/>, the request span gets <c>gen_ai.input.messages</c>, <c>gen_ai.output.messages</c> and
    /// <c>metamodel.user.key</c>, and prompts are logged at Trace level.
    /// </value>
    /// <remarks>Turn it on only where the telemetry backend may hold personal data.</remarks>
    public bool EnableSensitiveTelemetryData { get; set; }
    /// <summary>Gets or sets how the router retries, fails over, cools candidates down and times attempts out.</summary>
    /// <value>The defaults of <see cref="FailoverOptions"/>.</value>
    public FailoverOptions Failover { get; set; } = new();

    /// <summary>
    /// Gets the spending limits per tenant and period; see <see cref="BudgetLedger"/> for the reservation rule.
    /// </summary>
    public IList<BudgetLimit> Budgets { get; } = [];

    /// <summary>
    /// Gets or sets the output tokens a budget reservation assumes for a request that sets no <c>MaxOutputTokens</c>.
    /// </summary>
    /// <value>Zero or more; the default is 1,024.</value>
    public int ReservedOutputTokens { get; set; } = 1024;

    /// <summary>Checks the settings and lists every problem.</summary>
    /// <returns>The problems; empty when the settings are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("Name must not be empty.");
        }

        if (MaxAttemptsPerRequest < 1)
        {
            problems.Add($"MaxAttemptsPerRequest must be at least 1 (was {MaxAttemptsPerRequest}).");
        }

        if (FeedbackCapacity < 0)
        {
            problems.Add($"FeedbackCapacity must be zero or more (was {FeedbackCapacity}).");
        }

        if (ReservedOutputTokens < 0)
        {
            problems.Add($"ReservedOutputTokens must be zero or more (was {ReservedOutputTokens}).");
        }

        if (Failover is null)
        {
            problems.Add("Failover must not be null.");
        }
        else
        {
            problems.AddRange(Failover.Validate());
        }

        foreach (BudgetLimit? limit in Budgets)
        {
            if (limit is null || limit.LimitUsd < 0 || !Enum.IsDefined(limit.Period))
            {
                problems.Add($"Budget {limit} must have a known period and a limit of zero or more USD.");
            }
        }

        return problems;
    }
}

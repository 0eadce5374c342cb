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

    /// <summary>Gets or sets the most candidates tried for one request.</summary>
    /// <value>A positive number; the default is 3. Each candidate is tried at most once per request.</value>
    public int MaxAttemptsPerRequest { get; set; } = 3;

    /// <summary>Gets the tag constraints every request must satisfy, such as <c>region in [eu]</c>.</summary>
    public IList<TagConstraint> Constraints { get; } = [];

    /// <summary>Gets the tag constraints of each tenant, applied to requests that name the tenant.</summary>
    public IDictionary<string, IList<TagConstraint>> TenantConstraints { get; } =
        new Dictionary<string, IList<TagConstraint>>(StringComparer.Ordinal);

    /// <summary>Gets or sets how many recent decisions are kept to match quality feedback that arrives later.</summary>
    /// <value>
    /// The default is 100,000. Feedback for an older decision is refused; memory is about 100 bytes plus the
    /// feature vector per kept decision.
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

        return problems;
    }
}

namespace MetaModel.Compliance.Passport;

/// <summary>What the deployer declares about the system, for its passport: purpose, risk class, oversight, results.</summary>
/// <remarks>MetaModel does not check these statements; it records them with a fingerprint so that changes show.</remarks>
public sealed class SystemDeclaration
{
    /// <summary>Gets or sets the system's name as the deployer calls it.</summary>
    /// <value>The default is <see langword="null"/>: the metamodel's name is used.</value>
    public string? SystemName { get; set; }

    /// <summary>Gets or sets the system's version.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? SystemVersion { get; set; }

    /// <summary>Gets or sets the organisation that provides or deploys the system.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Provider { get; set; }

    /// <summary>Gets or sets whom to contact about the system.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Contact { get; set; }

    /// <summary>Gets or sets the intended purpose, in the deployer's words.</summary>
    /// <value>The default is <see langword="null"/>: the passport says it was not declared.</value>
    public string? IntendedUse { get; set; }

    /// <summary>Gets the uses the system must not be put to.</summary>
    public IList<string> ProhibitedUses { get; } = [];

    /// <summary>
    /// Gets or sets the risk class the deployer assigns, such as <c>minimal</c>, <c>limited</c> or <c>high</c>.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the passport says it was not declared.</value>
    public string? RiskClass { get; set; }

    /// <summary>Gets or sets how humans oversee the system's output.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? HumanOversight { get; set; }

    /// <summary>Gets or sets the post-market monitoring plan in brief.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? PostMarketMonitoring { get; set; }

    /// <summary>Gets or sets where the EU declaration of conformity is kept, when there is one.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? DeclarationOfConformity { get; set; }

    /// <summary>Gets the standards and specifications applied, such as <c>ISO/IEC 42001:2023</c>.</summary>
    public IList<string> StandardsApplied { get; } = [];

    /// <summary>Gets the known limitations of the system.</summary>
    public IList<string> KnownLimitations { get; } = [];

    /// <summary>Gets the evaluation results, such as those of a replay of recorded traffic.</summary>
    public IList<EvaluationResult> EvaluationResults { get; } = [];
}

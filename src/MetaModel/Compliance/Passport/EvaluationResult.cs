namespace MetaModel.Compliance.Passport;

/// <summary>One measured result of an evaluation, as supplied by the deployer (for example from a replay).</summary>
/// <param name="Subject">What was measured: a candidate id, or the metamodel as a whole.</param>
/// <param name="Metric">The metric, such as <c>accuracy</c> or <c>mean cost per request (USD)</c>.</param>
/// <param name="Value">The value.</param>
/// <param name="Dataset">The data set or traffic evaluated on, or <see langword="null"/>.</param>
/// <param name="Date">When the evaluation ran, or <see langword="null"/>.</param>
/// <param name="Notes">Anything the reader should know, or <see langword="null"/>.</param>
public sealed record EvaluationResult(
    string Subject,
    string Metric,
    double Value,
    string? Dataset = null,
    DateTimeOffset? Date = null,
    string? Notes = null);

using MetaModel.Replay;

namespace MetaModel.ReplayDemo;

/// <summary>The held-out results of one <see cref="Evaluation"/>.</summary>
/// <param name="Setup">The setup that was evaluated.</param>
/// <param name="Best">The most accurate single model on the held-out prompts, the reference of every percentage.</param>
/// <param name="Rule">The per-task best-model rule.</param>
/// <param name="Bandits">The bandit at each fixed cost weight.</param>
/// <param name="Paced">
/// The bandit paced to 20% of the reference's cost; <see langword="null"/> when the reference costs nothing.
/// </param>
/// <param name="Singles">Every single model.</param>
/// <param name="ReportPath">Where the Markdown report was written.</param>
internal sealed record EvaluationResult(
    EvaluationSetup Setup,
    ReplayRunResult Best,
    ReplayRunResult Rule,
    IReadOnlyList<ReplayRunResult> Bandits,
    ReplayRunResult? Paced,
    IReadOnlyList<ReplayRunResult> Singles,
    string ReportPath);

using MetaModel.Experiments;

namespace MetaModel.Routing;

/// <summary>What a policy chose for a request: every eligible candidate in the order to try them.</summary>
/// <remarks>
/// The first entry is the choice; the rest are the fallbacks in order. A policy may leave out candidates it never
/// wants tried; the router then fails over only among those listed.
/// </remarks>
public sealed class RoutingDecision
{
    /// <summary>Initializes a new instance of the <see cref="RoutingDecision"/> class.</summary>
    /// <param name="ranked">The candidates in the order to try them, with their scores; at least one.</param>
    /// <param name="reason">A short sentence saying why the first was chosen.</param>
    /// <param name="explored">
    /// <see langword="true"/> when the choice was made to learn (exploration) rather than because it scored best.
    /// </param>
    public RoutingDecision(IReadOnlyList<CandidateScore> ranked, string reason, bool explored = false)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(reason);
        if (ranked.Count == 0)
        {
            throw new ArgumentException("A routing decision must rank at least one candidate.", nameof(ranked));
        }

        Ranked = ranked;
        Reason = reason;
        Explored = explored;
    }

    /// <summary>Gets the candidates in the order to try them.</summary>
    public IReadOnlyList<CandidateScore> Ranked { get; }

    /// <summary>Gets why the first candidate was chosen.</summary>
    public string Reason { get; }

    /// <summary>Gets a value indicating whether the choice was exploration.</summary>
    public bool Explored { get; }

    /// <summary>Gets the experiment arm this request was assigned to, or <see langword="null"/> outside experiments.</summary>
    /// <value>Set by <see cref="ExperimentRoutingPolicy"/>; recorded in <c>DecisionRecord.Experiment</c>.</value>
    public ExperimentAssignment? Experiment { get; init; }
}

using MetaModel.Routing;

namespace MetaModel.Policies;

/// <summary>Tries the eligible candidates in the order they were registered: a primary and its fallbacks.</summary>
/// <remarks>Learns nothing. The score of the i-th of n eligible candidates is n − i.</remarks>
public sealed class OrderedRoutingPolicy : IRoutingPolicy
{
    /// <summary>The name this policy is recorded and configured under.</summary>
    public const string PolicyName = "ordered";

    /// <inheritdoc/>
    public string Name => PolicyName;

    /// <inheritdoc/>
    public string Version => "1";

    /// <inheritdoc/>
    /// <value>Always <see langword="false"/>: the ranking does not depend on the prompt.</value>
    public bool UsesFeatures => false;

    /// <inheritdoc/>
    public RoutingDecision Decide(RoutingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        int count = request.EligibleCandidates.Count;
        var ranked = new CandidateScore[count];
        for (int i = 0; i < count; i++)
        {
            ranked[i] = new CandidateScore(request.EligibleCandidates[i], count - i);
        }

        return new RoutingDecision(ranked, "first eligible candidate in registration order");
    }

    /// <inheritdoc/>
    public void Observe(AttemptObservation observation)
    {
    }

    /// <inheritdoc/>
    public void ObserveFeedback(QualityFeedback feedback)
    {
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> DescribeParameters() => new Dictionary<string, string>();
}

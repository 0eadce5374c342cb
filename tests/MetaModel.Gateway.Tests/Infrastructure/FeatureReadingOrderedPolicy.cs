using MetaModel.Policies;
using MetaModel.Routing;

namespace MetaModel.Gateway.Tests.Infrastructure;

/// <summary>
/// The ordered policy, declared as reading features, so that the router runs the featurizer on every request and
/// the tests can see the task label it was given (the plain ordered policy reads none, and the router skips it).
/// </summary>
public sealed class FeatureReadingOrderedPolicy : IRoutingPolicy
{
    private readonly OrderedRoutingPolicy _ordered = new();

    public string Name => _ordered.Name;

    public string Version => _ordered.Version;

    public bool UsesFeatures => true;

    public RoutingDecision Decide(RoutingRequest request) => _ordered.Decide(request);

    public void Observe(AttemptObservation observation) => _ordered.Observe(observation);

    public void ObserveFeedback(QualityFeedback feedback) => _ordered.ObserveFeedback(feedback);

    public IReadOnlyDictionary<string, string> DescribeParameters() => _ordered.DescribeParameters();
}

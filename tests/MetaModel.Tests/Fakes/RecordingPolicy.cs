using MetaModel.Policies;
using MetaModel.Routing;

namespace MetaModel.Tests.Fakes;

/// <summary>An ordered policy that remembers every request, observation and feedback it receives.</summary>
public sealed class RecordingPolicy : IRoutingPolicy
{
    private readonly OrderedRoutingPolicy _inner = new();

    public List<RoutingRequest> Requests { get; } = [];

    public List<AttemptObservation> Observations { get; } = [];

    public List<QualityFeedback> Feedback { get; } = [];

    public Func<RoutingRequest, RoutingDecision>? Decider { get; set; }

    public string Name => "recording";

    public string Version => "test";

    public RoutingDecision Decide(RoutingRequest request)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }

        return Decider?.Invoke(request) ?? _inner.Decide(request);
    }

    public void Observe(AttemptObservation observation)
    {
        lock (Observations)
        {
            Observations.Add(observation);
        }
    }

    public void ObserveFeedback(QualityFeedback feedback)
    {
        lock (Feedback)
        {
            Feedback.Add(feedback);
        }
    }

    public IReadOnlyDictionary<string, string> DescribeParameters() => new Dictionary<string, string>();
}

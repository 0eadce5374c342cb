using FluentAssertions;
using MetaModel.Candidates;
using MetaModel.Experiments;
using MetaModel.Features;
using MetaModel.Policies;
using MetaModel.Routing;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;
using Xunit;

namespace MetaModel.Tests.Routing;

public sealed class FeatureUseTests
{
    public static TheoryData<string, bool> Policies => new()
    {
        { "ordered", false },
        { "weighted", false },
        { "cost-aware", true },
        { "bandit", true },
        { "custom", true },
        { "experiment of ordered arms", false },
        { "experiment with a bandit arm", true },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task TheFeaturizer_RunsOnlyForAPolicyThatReadsFeatures(string policyName, bool featurized)
    {
        var featurizer = new CountingFeaturizer();
        IRoutingPolicy policy = Policy(policyName);
        policy.UsesFeatures.Should().Be(featurized);
        using var router = new MetaModelChatClient(
            [Candidate("a"), Candidate("b")],
            policy,
            featurizer: featurizer);

        ChatResponse response = await router.GetResponseAsync(Chat.Prompt("what is two and two?"));
        router.TryReportQuality(response.GetRoutingInfo()!.DecisionId, 1).Should().BeTrue();

        featurizer.Calls.Should().Be(featurized ? 1 : 0);
    }

    private static IRoutingPolicy Policy(string name) => name switch
    {
        "ordered" => new OrderedRoutingPolicy(),
        "weighted" => new WeightedRoutingPolicy(new Dictionary<string, double> { ["a"] = 1, ["b"] = 1 }, new Random(1)),
        "cost-aware" => new CostAwareRoutingPolicy(),
        "bandit" => new BanditRoutingPolicy(),
        "custom" => new FirstCandidatePolicy(),
        "experiment of ordered arms" => new ExperimentRoutingPolicy(
            new Experiment(
                "e",
                [ExperimentArm.ForPolicy("x", 1, new OrderedRoutingPolicy()), ExperimentArm.ForCandidate("y", 1, "b")]),
            new OrderedRoutingPolicy()),
        _ => new ExperimentRoutingPolicy(
            new Experiment(
                "e",
                [ExperimentArm.ForPolicy("x", 1, new BanditRoutingPolicy()), ExperimentArm.ForCandidate("y", 1, "b")]),
            new OrderedRoutingPolicy()),
    };

    private static ModelCandidate Candidate(string id) =>
        new(id, FakeChatClient.Answering(id, "four"), new ModelPricing(1, 2));

    /// <summary>A policy that does not say whether it reads features, so it gets them.</summary>
    private sealed class FirstCandidatePolicy : IRoutingPolicy
    {
        public string Name => "first";

        public string Version => "1";

        public RoutingDecision Decide(RoutingRequest request) =>
            new(request.EligibleCandidates.Select((c, i) => new CandidateScore(c, -i)).ToArray(), "first", explored: false);

        public void Observe(AttemptObservation observation)
        {
        }

        public void ObserveFeedback(QualityFeedback feedback)
        {
        }

        public IReadOnlyDictionary<string, string> DescribeParameters() => new Dictionary<string, string>();
    }

    private sealed class CountingFeaturizer : IPromptFeaturizer
    {
        private readonly HashingPromptFeaturizer _inner = new();

        public int Calls { get; private set; }

        public int Dimension => _inner.Dimension;

        public ValueTask FeaturizeAsync(
            IEnumerable<ChatMessage> messages,
            Memory<float> destination,
            CancellationToken cancellationToken = default)
        {
            Calls++;
            return _inner.FeaturizeAsync(messages, destination, cancellationToken);
        }
    }
}

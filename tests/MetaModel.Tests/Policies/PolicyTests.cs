using MetaModel.Candidates;
using MetaModel.Policies;
using MetaModel.Routing;
using MetaModel.Tests.Fakes;

namespace MetaModel.Tests.Policies;

public sealed class PolicyTests
{
    private static readonly ModelCandidate[] s_candidates =
    [
        new("A", new FakeChatClient(), new ModelPricing(10m, 30m)),
        new("B", new FakeChatClient(), new ModelPricing(0.1m, 0.3m)),
        new("C", new FakeChatClient(), new ModelPricing(1m, 3m)),
    ];

    [Fact]
    public void Ordered_RanksInRegistrationOrder()
    {
        RoutingDecision decision = new OrderedRoutingPolicy().Decide(Request(s_candidates));

        decision.Ranked.Select(r => r.Candidate.Id).Should().Equal("A", "B", "C");
        decision.Explored.Should().BeFalse();
    }

    [Fact]
    public void Weighted_SplitsByWeight_AndIsReproducibleWithASeed()
    {
        var weights = new Dictionary<string, double> { ["A"] = 1, ["B"] = 3, ["C"] = 0 };
        var first = Draw(new WeightedRoutingPolicy(weights, new Random(7)), 8_000);
        var second = Draw(new WeightedRoutingPolicy(weights, new Random(7)), 8_000);

        first.Should().Equal(second);
        double shareOfB = first.Count(id => id == "B") / 8_000d;
        shareOfB.Should().BeApproximately(0.75, 0.02);
        first.Should().NotContain("C", "a candidate with weight zero is only a fallback");
    }

    [Fact]
    public void Weighted_FallbacksFollowInDescendingWeight()
    {
        var policy = new WeightedRoutingPolicy(new Dictionary<string, double> { ["A"] = 1, ["B"] = 0, ["C"] = 2 }, new Random(3));

        for (int i = 0; i < 50; i++)
        {
            var ranked = policy.Decide(Request(s_candidates)).Ranked.Select(r => r.Candidate.Id).ToArray();
            ranked.Should().HaveCount(3);
            ranked[^1].Should().Be("B");
        }
    }

    [Fact]
    public void Weighted_OnlyIneligibleWeighted_FallsBackToRegistrationOrder()
    {
        var policy = new WeightedRoutingPolicy(new Dictionary<string, double> { ["A"] = 1 }, new Random(3));

        policy.Decide(Request(s_candidates[1..])).Ranked[0].Candidate.Id.Should().Be("B");
    }

    [Fact]
    public void Weighted_NegativeOrNaNWeight_IsRefused()
    {
        FluentActions.Invoking(() => new WeightedRoutingPolicy(new Dictionary<string, double> { ["A"] = -1 }))
            .Should().Throw<ArgumentException>().WithMessage("*'A'*");
        FluentActions.Invoking(() => new WeightedRoutingPolicy(new Dictionary<string, double> { ["A"] = double.NaN }))
            .Should().Throw<ArgumentException>();
    }

    [Fact]
    public void CostAware_LearnsWhichCandidateIsGoodPerContext()
    {
        // Two kinds of prompts: on "math" only the dear model A is right, on "chat" the cheap model B is as good.
        var policy =
            new CostAwareRoutingPolicy(new CostAwareRoutingOptions { Clusters = 2, CostWeight = 0.2, Exploration = 0.2 });
        float[] math = [1, 0];
        float[] chat = [0, 1];
        var random = new Random(11);
        for (int i = 0; i < 400; i++)
        {
            float[] features = i % 2 == 0 ? math : chat;
            RoutingDecision decision = policy.Decide(Request(s_candidates[..2], features));
            string chosen = decision.Ranked[0].Candidate.Id;
            decimal cost = chosen == "A" ? 0.01m : 0.0001m;
            double quality = chosen == "A" ? 1 : (features == chat ? 1 : 0);
            policy.Observe(new AttemptObservation("d", chosen, features, true, null, TimeSpan.Zero, null, null, cost, false));
            policy.ObserveFeedback(new QualityFeedback("d", chosen, features, quality, cost, TimeSpan.Zero));
            _ = random.Next();
        }

        policy.Decide(Request(s_candidates[..2], math)).Ranked[0].Candidate.Id.Should().Be("A");
        policy.Decide(Request(s_candidates[..2], chat)).Ranked[0].Candidate.Id.Should().Be("B");
    }

    [Fact]
    public void CostAware_InvalidSettings_ListsEveryProblem()
    {
        var options = new CostAwareRoutingOptions { CostWeight = -1, Clusters = 0, PriorQuality = 2 };

        FluentActions.Invoking(() => new CostAwareRoutingPolicy(options))
            .Should().Throw<ArgumentException>()
            .WithMessage("*CostWeight*").WithMessage("*Clusters*").WithMessage("*PriorQuality*");
    }

    [Fact]
    public void CostAware_WithoutFeedback_PrefersTheCheaperByListPrice()
    {
        var policy = new CostAwareRoutingPolicy(new CostAwareRoutingOptions { Exploration = 0 });

        policy.Decide(Request(s_candidates)).Ranked.Select(r => r.Candidate.Id).Should().Equal("B", "C", "A");
    }

    [Fact]
    public void CostAware_WithoutFeatures_LearnsOneContext()
    {
        var policy = new CostAwareRoutingPolicy(new CostAwareRoutingOptions { Exploration = 0, CostWeight = 0 });
        for (int i = 0; i < 20; i++)
        {
            policy.ObserveFeedback(new QualityFeedback("d", "C", ReadOnlyMemory<float>.Empty, 1, 0.001m, TimeSpan.Zero));
            policy.Observe(
                new AttemptObservation(
                    "d",
                    "A",
                    ReadOnlyMemory<float>.Empty,
                    false,
                    new TimeoutException(),
                    TimeSpan.Zero,
                    null,
                    null,
                    0,
                    true));
        }

        policy.Decide(Request(s_candidates)).Ranked[0].Candidate.Id.Should().Be("C");
        policy.Decide(Request(s_candidates)).Ranked[^1].Candidate.Id.Should().Be("A");
    }

    private static List<string> Draw(IRoutingPolicy policy, int count) =>
        Enumerable.Range(0, count).Select(_ => policy.Decide(Request(s_candidates)).Ranked[0].Candidate.Id).ToList();

    private static RoutingRequest Request(IReadOnlyList<IModelCandidate> eligible, float[]? features = null) =>
        new("d", Chat.Prompt("x"), null, features ?? [], eligible, estimatedInputTokens: 100);
}

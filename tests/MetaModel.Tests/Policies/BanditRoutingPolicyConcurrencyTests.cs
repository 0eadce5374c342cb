using MetaModel.Candidates;
using MetaModel.Policies;
using MetaModel.Routing;
using MetaModel.Tests.Fakes;

namespace MetaModel.Tests.Policies;

public sealed class BanditRoutingPolicyConcurrencyTests
{
    private static readonly ModelCandidate[] s_candidates =
    [
        new("per-token", new FakeChatClient(), new ModelPricing(10m, 0m)),
        new("flat", new FakeChatClient(), new ModelPricing(0m, 20m)),
    ];

    [Fact]
    public async Task WarmStart_WhileDeciding_DecisionsSeeQualityCostsAndCostWeightAllFromBeforeOrAllFromAfter()
    {
        // The history teaches quality, a cost line per candidate and (paced) a starting λ. A single-threaded replay
        // gives the only two consistent rankings: a fresh policy's and a warm-started one's. Each record's cost and
        // size differ, so every partial state of the cost lines, and the new quality with the old costs or the old
        // λ, gives scores that are neither; a decision made during the warm start must see one of the two.
        const int Records = 200_000;
        var history = new BanditHistoryRecord[Records];
        float[] features = [1, 0.5f];
        for (int i = 0; i < Records; i++)
        {
            int tokens = 100 + (i % 37);
            history[i] = i % 2 == 0
                ? new BanditHistoryRecord(features, "per-token", 0.9, (tokens * 0.00001m) + (i % 7 * 0.000001m), tokens)
                : new BanditHistoryRecord(features, "flat", 0.6, 0.004m + (i % 11 * 0.000001m), tokens);
        }

        var options = new BanditRoutingOptions { Exploration = 0.5, CostWeight = 1, TargetCostPerRequestUsd = 0.002 };
        RoutingRequest request = new("d", Chat.Prompt("x"), null, features, s_candidates, 120);
        double[] before = Scores(Initialized(options).Decide(request));
        BanditRoutingPolicy replay = Initialized(options);
        replay.WarmStart(history);
        double[] after = Scores(replay.Decide(request));
        before.Should().NotEqual(after);

        BanditRoutingPolicy shared = Initialized(options);
        int warmStarted = 0;
        long readsBefore = 0;
        Task<(long Reads, string? Violation)> reader = Task.Factory.StartNew(
            () =>
            {
                long reads = 0;
                while (Volatile.Read(ref warmStarted) == 0)
                {
                    double[] scores = Scores(shared.Decide(request));
                    Interlocked.Exchange(ref readsBefore, ++reads);
                    if (!IsEither(scores, before, after))
                    {
                        return (reads, (string?)$"a decision scored [{string.Join(", ", scores)}], which is neither " +
                            $"[{string.Join(", ", before)}] (before) nor [{string.Join(", ", after)}] (after)");
                    }
                }

                return (reads, (string?)null);
            },
            TaskCreationOptions.LongRunning);

        SpinWait.SpinUntil(() => Interlocked.Read(ref readsBefore) >= 100, TimeSpan.FromSeconds(10));
        shared.WarmStart(history);
        Volatile.Write(ref warmStarted, 1);
        (long reads, string? violation) = await reader;

        violation.Should().BeNull();
        reads.Should().BeGreaterThanOrEqualTo(100);
        Scores(shared.Decide(request)).Should().Equal(after);
        shared.CurrentCostWeight.Should().Be(replay.CurrentCostWeight);
    }

    private static BanditRoutingPolicy Initialized(BanditRoutingOptions options)
    {
        var policy = new BanditRoutingPolicy(options);
        policy.Initialize(s_candidates, featureDimension: 2).Should().BeEmpty();
        return policy;
    }

    /// <summary>The score of each candidate, in the order of <see cref="s_candidates"/>.</summary>
    private static double[] Scores(RoutingDecision decision) =>
        s_candidates.Select(c => decision.Ranked.Single(r => r.Candidate.Id == c.Id).Score).ToArray();

    private static bool IsEither(
        double[] scores,
        double[] before,
        double[] after) =>
        scores.SequenceEqual(before) || scores.SequenceEqual(after);
}

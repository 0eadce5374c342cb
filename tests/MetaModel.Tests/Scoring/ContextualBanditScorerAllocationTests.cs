using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

public class ContextualBanditScorerAllocationTests
{
    public static TheoryData<string, ContextualBanditOptions> Configurations() => new()
    {
        { "UCB d=64", new() { Dimension = 64 } },
        { "Thompson d=64", new() { Dimension = 64, Strategy = ExplorationStrategy.ThompsonSampling, Seed = 1 } },
        { "forgetting d=16", new() { Dimension = 16, ForgettingFactor = 0.9 } },
        { "reduced 384→64", new() { Dimension = 384, ReducedDimension = 64 } },
        { "full d=384", new() { Dimension = 384 } },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void DecisionsAndUpdates_AfterWarmUp_AllocateNothing(string name, ContextualBanditOptions options)
    {
        string[] ids = Enumerable.Range(0, 16).Select(i => $"arm{i}").ToArray();
        var scorer = new ContextualBanditScorer(ids, options);
        float[] x = TestVectors.Unit(new Random(1), options.Dimension);
        var scores = new float[16];
        var widths = new float[16];
        int[] eligible = [1, 4, 9];

        // Warm up: JIT, the thread's array-pool cache, and (with forgetting, 0.9⁶⁶ < 1/1024) at least one
        // re-anchoring of every arm, whose first use of the pool allocates.
        for (int t = 0; t < 300; t++)
        {
            scorer.Update(t % 3, x, 0.5);
            scorer.Score(x, scores);
            scorer.Estimate(x, eligible, scores, widths);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 100; t++)
        {
            scorer.Score(x, scores);
            scorer.Score(x, eligible, scores);
            scorer.Estimate(x, eligible, scores, widths);
            scorer.Update(t % 3, x, 0.25);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0, name);
    }
}

using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

public class ContextualBanditScorerAllocationTests
{
    public static TheoryData<string, ContextualBanditOptions, int> Configurations() => new()
    {
        { "UCB d=64", new() { Dimension = 64 }, 20 },
        { "Thompson d=64", new() { Dimension = 64, Strategy = ExplorationStrategy.ThompsonSampling, Seed = 1 }, 20 },

        // 0.9⁶⁶ < 1/1024: 300 rounds re-anchor every arm at least once, whose first use of the pool allocates.
        { "forgetting d=16", new() { Dimension = 16, ForgettingFactor = 0.9 }, 300 },
        { "reduced 384→64", new() { Dimension = 384, ReducedDimension = 64 }, 20 },
        { "full d=384", new() { Dimension = 384 }, 3 },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void DecisionsAndUpdates_AfterWarmUp_AllocateNothing(
        string name,
        ContextualBanditOptions options,
        int warmUp)
    {
        string[] ids = Enumerable.Range(0, 16).Select(i => $"arm{i}").ToArray();
        var scorer = new ContextualBanditScorer(ids, options);
        float[] x = TestVectors.Unit(new Random(1), options.Dimension);
        var scores = new float[16];
        var widths = new float[16];
        int[] eligible = [1, 4, 9];

        // Warm up: JIT, the thread's array-pool cache, and re-anchoring where the options forget.
        for (int t = 0; t < warmUp; t++)
        {
            scorer.Update(t % 3, x, 0.5);
            scorer.Score(x, scores);
            scorer.Estimate(x, eligible, scores, widths);
        }

        // A window of measured rounds must allocate nothing. One-off work of the runtime on this thread (tiering a
        // method up under load, say) can land in a window, so up to five windows are measured; an allocation per
        // decision or update shows up in every one of them.
        var windows = new List<long>();
        for (int window = 0; window < 5 && (windows.Count == 0 || windows[^1] != 0); window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();

            // As many rounds again, so that re-anchoring also happens while measuring where the options forget.
            for (int t = 0; t < warmUp; t++)
            {
                scorer.Score(x, scores);
                scorer.Score(x, eligible, scores);
                scorer.Estimate(x, eligible, scores, widths);
                scorer.Update(t % 3, x, 0.25);
            }

            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        windows[^1].Should().Be(0, $"{name}: bytes allocated in each window were {string.Join(", ", windows)}");
    }
}

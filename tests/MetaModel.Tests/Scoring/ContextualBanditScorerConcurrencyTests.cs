using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

public class ContextualBanditScorerConcurrencyTests
{
    [Fact]
    public async Task ParallelDecisionsAndUpdates_ReadersOnlyEverSeeCompleteStates()
    {
        // Every arm receives a fixed sequence of updates. A single-threaded replay records the (mean, width)
        // that a probe gets after each prefix: the only consistent states. Under concurrency a reader must always
        // observe one of them; a torn read (θ from one update, A⁻¹ from another, or a half-written A⁻¹) would not.
        const int D = 64, K = 4, Steps = 800;
        var random = new Random(12);
        float[] probe = TestVectors.Unit(random, D);
        var updates = new (float[] X, double Reward)[K][];
        for (int k = 0; k < K; k++)
        {
            updates[k] = new (float[], double)[Steps];
            for (int t = 0; t < Steps; t++)
            {
                updates[k][t] = (TestVectors.Unit(random, D), (random.NextDouble() * 20) - 10);
            }
        }

        string[] ids = ["a", "b", "c", "d"];
        var options = new ContextualBanditOptions { Dimension = D };
        var consistent = new List<(float Mean, float Width)>[K];
        var replay = new ContextualBanditScorer(ids, options);
        var means = new float[K];
        var widths = new float[K];
        int[] all = [0, 1, 2, 3];
        for (int k = 0; k < K; k++)
        {
            consistent[k] = [];
            replay.Estimate(probe, [k], means, widths);
            consistent[k].Add((means[0], widths[0]));
            foreach ((float[] x, double reward) in updates[k])
            {
                replay.Update(k, x, reward);
                replay.Estimate(probe, [k], means, widths);
                consistent[k].Add((means[0], widths[0]));
            }
        }

        var shared = new ContextualBanditScorer(ids, options);
        int writersDone = 0;
        Task[] writers = Enumerable.Range(0, K).Select(k => Task.Run(() =>
        {
            foreach ((float[] x, double reward) in updates[k])
            {
                shared.Update(k, x, reward);
            }

            Interlocked.Increment(ref writersDone);
        })).ToArray();
        Task<(long Reads, string? Violation)>[] readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var m = new float[K];
            var w = new float[K];
            long reads = 0;
            while (Volatile.Read(ref writersDone) < K || reads < 100)
            {
                shared.Estimate(probe, all, m, w);
                reads++;
                for (int k = 0; k < K; k++)
                {
                    if (!IsConsistent(consistent[k], m[k], w[k]))
                    {
                        return (reads, (string?)$"arm {k} read (mean {m[k]}, width {w[k]}), which no complete state gives");
                    }
                }
            }

            return (reads, (string?)null);
        })).ToArray();

        await Task.WhenAll(writers);
        (long Reads, string? Violation)[] results = await Task.WhenAll(readers);

        results.Select(r => r.Violation).Should().AllSatisfy(v => v.Should().BeNull());
        results.Sum(r => r.Reads).Should().BeGreaterThan(100);
        shared.Estimate(probe, all, means, widths);
        for (int k = 0; k < K; k++)
        {
            // Each arm's writes were applied in order by one thread, so the end state is the replay's.
            means[k].Should().Be(consistent[k][^1].Mean);
            widths[k].Should().Be(consistent[k][^1].Width);
        }
    }

    [Fact]
    public async Task ParallelUpdatesOfTheSameArm_AreSerialized_NoUpdateIsLost()
    {
        var scorer = new ContextualBanditScorer(["only"], new() { Dimension = 8 });
        float[] x = [1, 0, 0, 0, 0, 0, 0, 0];

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int t = 0; t < 500; t++)
            {
                scorer.Update(0, x, 1.0);
            }
        })));

        scorer.GetUpdateCount(0).Should().Be(2000);
        ArmData state = scorer.Inspect(0);
        state.Gram[0].Should().Be(2001f, "A₀₀ = λ₀ + 2000 when every update landed");
        state.Rewards[0].Should().Be(2000f);
    }

    [Fact]
    public async Task LoadingSnapshots_WhileDeciding_DecisionsSeeEveryArmFromTheSameSnapshot()
    {
        // Two snapshots: in one every arm expects +1, in the other −1. A decision that ran while a load published
        // the arms one after another, and saw some arms from each, would see means of both signs.
        const int D = 96, K = 32;
        string[] ids = Enumerable.Range(0, K).Select(k => $"arm{k}").ToArray();
        var options = new ContextualBanditOptions { Dimension = D };
        float[] x = new float[D];
        x[0] = 1;
        byte[][] snapshots = [Trained(1), Trained(-1)];
        var scorer = new ContextualBanditScorer(ids, options);
        scorer.LoadSnapshot(new MemoryStream(snapshots[0]));

        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
        int loads = 0;
        Task loader = Task.Factory.StartNew(
            () =>
            {
                for (int i = 1; !stop.IsCancellationRequested; i++)
                {
                    scorer.LoadSnapshot(new MemoryStream(snapshots[i % 2]));
                    loads++;
                }
            },
            TaskCreationOptions.LongRunning);

        int mixed = 0;
        var means = new float[K];
        var widths = new float[K];
        int[] all = Enumerable.Range(0, K).ToArray();
        while (!stop.IsCancellationRequested)
        {
            scorer.Estimate(x, all, means, widths);
            if (means.Any(m => m > 0) && means.Any(m => m < 0))
            {
                mixed++;
            }
        }

        await loader;
        loads.Should().BePositive();
        mixed.Should().Be(0, "a load publishes all arms at once for decisions");

        byte[] Trained(double reward)
        {
            var trained = new ContextualBanditScorer(ids, options);
            for (int k = 0; k < K; k++)
            {
                trained.Update(k, x, reward);
            }

            return ContextualBanditScorerValidationTests.Snapshot(trained);
        }
    }

    private static bool IsConsistent(
        List<(float Mean, float Width)> states,
        float mean,
        float width)
    {
        // The replay and the shared scorer run the same code on the same inputs; a tiny tolerance absorbs any
        // difference in how vectorized sums group, which is far below the change that one update causes.
        foreach ((float m, float w) in states)
        {
            if (Math.Abs(m - mean) <= 1e-5f * (1 + Math.Abs(m)) && Math.Abs(w - width) <= 1e-5f * (1 + w))
            {
                return true;
            }
        }

        return false;
    }
}

using BenchmarkDotNet.Attributes;
using MetaModel.Scoring;

namespace MetaModel.Benchmarks;

/// <summary>One update at K = 16, d = 64, with and without forgetting. Goal: median ≤ 1 µs, 0 B.</summary>
public class UpdateBenchmarks
{
    private ContextualBanditScorer _scorer = null!;
    private float[][] _contexts = null!;
    private int _next;

    [Params(1.0, 0.99)]
    public double ForgettingFactor { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scorer = new ContextualBanditScorer(
            ScorerFixture.ArmIds(16),
            new ContextualBanditOptions { Dimension = 64, ForgettingFactor = ForgettingFactor });
        _contexts = ScorerFixture.Contexts(64, 64, seed: 3);
    }

    [Benchmark]
    public void Update()
    {
        int i = _next++;
        _scorer.Update(i & 15, _contexts[i & 63], (i & 7) * 0.125);
    }
}

using BenchmarkDotNet.Attributes;
using MetaModel.Scoring;

namespace MetaModel.Benchmarks;

/// <summary>
/// Reduced mode at K = 16, d′ = 64 over growing d: the per-arm work is fixed at O(d′²) and only the shared
/// projection, O(d·d′), grows, so decision time should grow linearly in d.
/// </summary>
public class ReducedScalingBenchmarks
{
    private ContextualBanditScorer _scorer = null!;
    private float[][] _contexts = null!;
    private float[] _scores = null!;
    private int _next;

    [Params(128, 256, 384, 768, 1536)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scorer = ScorerFixture.Trained(16, D, reducedDimension: 64, updates: 64);
        _contexts = ScorerFixture.Contexts(16, D, seed: 6);
        _scores = new float[16];
    }

    [Benchmark]
    public void Decision() => _scorer.Score(_contexts[_next++ & 15], _scores);
}

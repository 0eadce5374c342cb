using BenchmarkDotNet.Attributes;
using MetaModel.Scoring;

namespace MetaModel.Benchmarks;

/// <summary>One decision (score every arm) at the typical size K = 16, d = 64. Goal: median ≤ 4 µs, 0 B.</summary>
public class DecisionBenchmarks
{
    private ContextualBanditScorer _ucb = null!;
    private ContextualBanditScorer _thompson = null!;
    private float[][] _contexts = null!;
    private float[] _scores = null!;
    private int[] _eligible = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _ucb = ScorerFixture.Trained(16, 64);
        _thompson = new ContextualBanditScorer(
            ScorerFixture.ArmIds(16),
            new ContextualBanditOptions { Dimension = 64, Strategy = ExplorationStrategy.ThompsonSampling, Seed = 1 });
        _contexts = ScorerFixture.Contexts(64, 64, seed: 2);
        _scores = new float[16];
        _eligible = [0, 2, 3, 5, 7, 8, 11, 13];
    }

    [Benchmark(Baseline = true)]
    public void ScoreAllArms() => _ucb.Score(NextContext(), _scores);

    [Benchmark]
    public void ScoreEligibleHalf() => _ucb.Score(NextContext(), _eligible, _scores);

    [Benchmark]
    public void ScoreAllArmsThompson() => _thompson.Score(NextContext(), _scores);

    private float[] NextContext() => _contexts[_next++ & 63];
}

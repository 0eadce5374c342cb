using BenchmarkDotNet.Attributes;
using MetaModel.Scoring;

namespace MetaModel.Benchmarks;

/// <summary>
/// Decision and update at K = 16 with d = 384 features (a sentence-embedding size), modelled in full or reduced
/// to d′ = 64 by the shared random projection. Goals: full decision ≤ 80 µs, reduced decision ≤ 10 µs.
/// </summary>
public class LargeDimensionBenchmarks
{
    private ContextualBanditScorer _scorer = null!;
    private float[][] _contexts = null!;
    private float[] _scores = null!;
    private int _next;

    /// <summary>0 models all 384 features; 64 models their projection.</summary>
    [Params(0, 64)]
    public int ReducedDimension { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scorer = ScorerFixture.Trained(16, 384, ReducedDimension);
        _contexts = ScorerFixture.Contexts(32, 384, seed: 4);
        _scores = new float[16];
    }

    [Benchmark]
    public void Decision() => _scorer.Score(_contexts[_next++ & 31], _scores);

    [Benchmark]
    public void Update()
    {
        int i = _next++;
        _scorer.Update(i & 15, _contexts[i & 31], (i & 3) * 0.25);
    }
}

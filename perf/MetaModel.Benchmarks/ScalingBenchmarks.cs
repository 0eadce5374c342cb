using BenchmarkDotNet.Attributes;
using MetaModel.Scoring;

namespace MetaModel.Benchmarks;

/// <summary>
/// How a decision scales with the number of arms K and the feature dimension d, against a naive scalar LinUCB
/// over full matrices in the same run (the Ratio column is naive time over vectorized time when read per row
/// pair).
/// </summary>
public class ScalingBenchmarks
{
    private ContextualBanditScorer _scorer = null!;
    private ScalarLinUcbScorer _naive = null!;
    private float[][] _contexts = null!;
    private float[] _scores = null!;
    private float[] _widths = null!;
    private int _next;

    [Params(2, 4, 8, 16, 32)]
    public int K { get; set; }

    [Params(32, 64, 128, 256, 384)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scorer = ScorerFixture.Trained(K, D, updates: 4 * K);
        _naive = ScorerFixture.TrainedScalar(K, D, updates: 4 * K);
        _contexts = ScorerFixture.Contexts(16, D, seed: 5);
        _scores = new float[K];
        _widths = new float[K];
    }

    [Benchmark(Baseline = true)]
    public void Vectorized() => _scorer.Score(_contexts[_next++ & 15], _scores);

    [Benchmark]
    public void NaiveScalar() => _naive.Score(_contexts[_next++ & 15], _scores, _widths);
}

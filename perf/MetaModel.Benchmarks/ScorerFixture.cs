using MetaModel.Scoring;

namespace MetaModel.Benchmarks;

/// <summary>Builds trained scorers and seeded contexts, so every benchmark measures a realistic state.</summary>
internal static class ScorerFixture
{
    public static string[] ArmIds(int count) => Enumerable.Range(0, count).Select(i => $"arm-{i}").ToArray();

    public static float[] UnitVector(Random random, int length)
    {
        var v = new float[length];
        double norm = 0;
        for (int i = 0; i < length; i++)
        {
            v[i] = (float)(random.NextDouble() - 0.5);
            norm += v[i] * v[i];
        }

        for (int i = 0; i < length; i++)
        {
            v[i] = (float)(v[i] / Math.Sqrt(norm));
        }

        return v;
    }

    public static float[][] Contexts(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => UnitVector(random, dimension)).ToArray();
    }

    public static ContextualBanditScorer Trained(int arms, int dimension, int reducedDimension = 0, int updates = 200)
    {
        var scorer = new ContextualBanditScorer(
            ArmIds(arms),
            new ContextualBanditOptions { Dimension = dimension, ReducedDimension = reducedDimension, Seed = 1 });
        var random = new Random(arms * 1000 + dimension);
        for (int t = 0; t < updates; t++)
        {
            scorer.Update(t % arms, UnitVector(random, dimension), random.NextDouble());
        }

        return scorer;
    }

    public static ScalarLinUcbScorer TrainedScalar(int arms, int dimension, int updates = 200)
    {
        var scorer = new ScalarLinUcbScorer(arms, dimension, exploration: 1, ridgePrior: 1);
        var random = new Random(arms * 1000 + dimension);
        for (int t = 0; t < updates; t++)
        {
            scorer.Update(t % arms, UnitVector(random, dimension), (float)random.NextDouble());
        }

        return scorer;
    }
}

using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

public class CostAwareRewardTests
{
    [Fact]
    public void Compute_SubtractsWeightedCostAndLatency()
    {
        var reward = new CostAwareReward(new() { CostWeight = 10, LatencyWeight = 0.1 });

        reward.Compute(quality: 0.9, cost: 0.02, latencySeconds: 1.5).Should().BeApproximately(0.9 - 0.2 - 0.15, 1e-12);
        reward.Compute(0.9, 0.02, TimeSpan.FromMilliseconds(1500)).Should().BeApproximately(0.55, 1e-12);
    }

    [Fact]
    public void ObserveCost_WithoutTarget_KeepsWeightFixed()
    {
        var reward = new CostAwareReward(new() { CostWeight = 3 });

        reward.ObserveCost(100);

        reward.CostWeight.Should().Be(3);
        reward.TargetCostPerRequest.Should().BeNull();
    }

    [Fact]
    public void ObserveCost_StepsTheDualVariableAndProjectsAtZero()
    {
        var reward = new CostAwareReward(new() { TargetCostPerRequest = 0.5, PacingStepSize = 0.1 });

        reward.ObserveCost(1.0);
        reward.CostWeight.Should().BeApproximately(0.1 * 0.5 / 0.25, 1e-12);
        reward.ObserveCost(0);
        reward.ObserveCost(0);
        reward.CostWeight.Should().Be(0, "λ never goes negative");
    }

    [Fact]
    public void Pacing_SyntheticStream_MeanCostTracksTarget()
    {
        // Three models: cheap and weak, mid, expensive and strong. Unpaced, the strong one always wins and
        // costs 0.05 per request; the budget is 0.02. Qualities are noisy, so choices are noisy too.
        (double Quality, double Cost)[] models = [(0.55, 0.002), (0.75, 0.015), (0.92, 0.05)];
        const double Target = 0.02;
        var reward = new CostAwareReward(new() { TargetCostPerRequest = Target, PacingStepSize = 0.02 });
        var random = new Random(13);
        double spent = 0, tailSpent = 0;
        const int N = 40000, Tail = 20000;

        for (int t = 0; t < N; t++)
        {
            int best = 0;
            double bestValue = double.MinValue;
            for (int m = 0; m < models.Length; m++)
            {
                double q = models[m].Quality + (0.05 * (random.NextDouble() - 0.5));
                double value = reward.Compute(q, models[m].Cost, 0);
                if (value > bestValue)
                {
                    (best, bestValue) = (m, value);
                }
            }

            double cost = models[best].Cost;
            reward.ObserveCost(cost);
            spent += cost;
            if (t >= N - Tail)
            {
                tailSpent += cost;
            }
        }

        (spent / N).Should().BeApproximately(Target, 0.05 * Target);
        (tailSpent / Tail).Should().BeApproximately(Target, 0.03 * Target);
        reward.CostWeight.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Pacing_UnreachableTarget_SpendsAtMostTheCheapest()
    {
        var reward = new CostAwareReward(new() { TargetCostPerRequest = 0.001, PacingStepSize = 0.05 });
        for (int t = 0; t < 5000; t++)
        {
            double cheap = reward.Compute(0.5, 0.002, 0);
            double dear = reward.Compute(0.9, 0.05, 0);
            reward.ObserveCost(cheap >= dear ? 0.002 : 0.05);
        }

        reward.Compute(0.5, 0.002, 0).Should().BeGreaterThan(reward.Compute(0.9, 0.05, 0));
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        var reward = new CostAwareReward();

        ((Action)(() => reward.Compute(double.NaN, 0, 0))).Should().Throw<ArgumentException>().WithParameterName("quality");
        ((Action)(() => reward.Compute(1, -1, 0))).Should().Throw<ArgumentException>().WithParameterName("cost");
        ((Action)(() => reward.Compute(1, 0, double.PositiveInfinity)))
            .Should().Throw<ArgumentException>().WithParameterName("latencySeconds");
        ((Action)(() => reward.ObserveCost(double.NaN))).Should().Throw<ArgumentException>();
        ((Action)(() => _ = new CostAwareReward(new() { TargetCostPerRequest = 0 })))
            .Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => _ = new CostAwareReward(new() { CostWeight = -1 }))).Should().Throw<ArgumentOutOfRangeException>();
    }
}

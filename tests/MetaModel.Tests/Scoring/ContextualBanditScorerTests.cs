using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

public class ContextualBanditScorerTests
{
    private static readonly string[] ThreeArms = ["a", "b", "c"];

    [Theory]
    [MemberData(nameof(TestVectors.ScorerDimensions), MemberType = typeof(TestVectors))]
    public void ScoreAndUpdate_MatchScalarReference_AtEveryVectorWidthBoundary(int d)
    {
        var scorer = new ContextualBanditScorer(ThreeArms, new() { Dimension = d, Exploration = 0.7, RidgePrior = 0.5 });
        var reference = new ScalarLinUcbScorer(3, d, exploration: 0.7, ridgePrior: 0.5);
        var random = new Random(1000 + d);
        var actual = new float[3];
        var expected = new float[3];
        var scratch = new float[3];

        for (int t = 0; t < 40; t++)
        {
            float[] probe = TestVectors.Unit(random, d);
            scorer.Score(probe, actual);
            reference.Score(probe, expected, scratch);

            // Single precision with different summation orders; 40 updates keep the error well inside this.
            TestVectors.ShouldBeClose(actual, expected, 1e-3, 2e-4, $"scores at step {t}");

            float[] x = TestVectors.Unit(random, d);
            float reward = (float)((random.NextDouble() * 2) - 1);
            scorer.Update(t % 3, x, reward);
            reference.Update(t % 3, x, reward);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(33)]
    public void ScoreAndUpdate_WithForgetting_MatchScalarReference(int d)
    {
        var options = new ContextualBanditOptions { Dimension = d, Exploration = 1.3, ForgettingFactor = 0.9 };
        var scorer = new ContextualBanditScorer(ThreeArms, options);
        var reference = new ScalarLinUcbScorer(3, d, exploration: 1.3, ridgePrior: 1, forgettingFactor: 0.9);
        var random = new Random(2000 + d);
        var actual = new float[3];
        var expected = new float[3];
        var scratch = new float[3];

        // 150 updates per arm cross the re-anchoring threshold (0.9⁶⁶ < 1/1024) at least twice.
        for (int t = 0; t < 450; t++)
        {
            float[] x = TestVectors.Unit(random, d);
            float reward = (float)random.NextDouble();
            scorer.Update(t % 3, x, reward);
            reference.Update(t % 3, x, reward);
        }

        float[] probe = TestVectors.Unit(random, d);
        scorer.Score(probe, actual);
        reference.Score(probe, expected, scratch);
        TestVectors.ShouldBeClose(actual, expected, 2e-3, 1e-3, "scores");
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1.0)]
    [InlineData(5, 1.0)]
    [InlineData(8, 1.0)]
    [InlineData(9, 1.0)]
    [InlineData(5, 0.95)]
    [InlineData(9, 0.8)]
    public void ShermanMorrison_MatchesDirectInversionOfDiscountedGram(int d, double gamma)
    {
        const double Prior = 0.8;
        var scorer = new ContextualBanditScorer(["only"], new() { Dimension = d, RidgePrior = Prior, ForgettingFactor = gamma });
        var random = new Random(d);
        var a = new double[d * d];
        var b = new double[d];
        for (int i = 0; i < d; i++)
        {
            a[(i * d) + i] = Prior;
        }

        // 25 updates: for γ = 0.8 the prior stays above the re-anchoring threshold (0.8²⁵ ≈ 0.004 > 1/1024).
        for (int t = 0; t < 25; t++)
        {
            float[] x = TestVectors.Gaussian(random, d, scale: 0.5f);
            double r = random.NextDouble();
            scorer.Update(0, x, r);
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    a[(i * d) + j] = (gamma * a[(i * d) + j]) + ((double)x[i] * x[j]);
                }

                b[i] = (gamma * b[i]) + (r * x[i]);
            }
        }

        double[] inverse = (double[])a.Clone();
        SymmetricInverse.TryInvertInPlace(inverse, d).Should().BeTrue();
        var expectedTheta = new float[d];
        for (int i = 0; i < d; i++)
        {
            double sum = 0;
            for (int j = 0; j < d; j++)
            {
                sum += inverse[(i * d) + j] * b[j];
            }

            expectedTheta[i] = (float)sum;
        }

        ArmData state = scorer.Inspect(0);
        var actualInverse = new double[d * d];
        PackedSymmetric.Unpack(state.Inverse, actualInverse, d);
        var actualGram = new double[d * d];
        PackedSymmetric.Unpack(state.Gram, actualGram, d);
        for (int i = 0; i < d * d; i++)
        {
            actualInverse[i].Should().BeApproximately(inverse[i], 2e-4 * (1 + Math.Abs(inverse[i])), $"A⁻¹ element {i}");
            actualGram[i].Should().BeApproximately(a[i], 1e-4 * (1 + Math.Abs(a[i])), $"A element {i}");
        }

        TestVectors.ShouldBeClose(state.Theta, expectedTheta, 2e-3, 2e-4, "θ");
        // γ is applied in single precision, so the prior mass agrees to float accuracy.
        state.PriorMass.Should().BeApproximately(Prior * Math.Pow(gamma, 25), 1e-6 * Prior);
    }

    [Fact]
    public void Forgetting_LongRunInOneSubspace_StaysFiniteAndBoundsUnseenVariance()
    {
        const int D = 8;
        var scorer = new ContextualBanditScorer(["only"], new() { Dimension = D, ForgettingFactor = 0.9, RidgePrior = 2 });
        var random = new Random(3);
        for (int t = 0; t < 5000; t++)
        {
            var x = new float[D];
            x[0] = 1;
            x[1] = (float)random.NextDouble();
            scorer.Update(0, x, x[1]);
        }

        var unseen = new float[D];
        unseen[5] = 1;
        var means = new float[1];
        var widths = new float[1];
        scorer.Estimate(unseen, [0], means, widths);

        ArmData state = scorer.Inspect(0);
        System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(state.Inverse).Should().BeTrue();
        state.PriorMass.Should().BeGreaterThanOrEqualTo(2.0 / 1024);
        widths[0].Should().BeLessThanOrEqualTo((float)Math.Sqrt(1024 / 2.0) * 1.001f);
    }

    [Fact]
    public void Forgetting_TracksARewardThatChanges_WhereFullMemoryLags()
    {
        float[] x = [1, 0];
        var forgetting = new ContextualBanditScorer(["only"], new() { Dimension = 2, ForgettingFactor = 0.95 });
        var remembering = new ContextualBanditScorer(["only"], new() { Dimension = 2 });
        for (int t = 0; t < 400; t++)
        {
            double reward = t < 300 ? 1.0 : -1.0;
            forgetting.Update(0, x, reward);
            remembering.Update(0, x, reward);
        }

        var mean = new float[1];
        var width = new float[1];
        forgetting.Estimate(x, [0], mean, width);
        mean[0].Should().BeLessThan(-0.9f, "the last 100 rewards, weighted by 0.95^age, dominate");
        remembering.Estimate(x, [0], mean, width);
        mean[0].Should().BeGreaterThan(0.4f, "300 of 400 rewards were +1");
    }

    [Fact]
    public void Score_UpperConfidenceBound_EqualsMeanPlusAlphaWidth()
    {
        var scorer = Trained(new() { Dimension = 9, Exploration = 0.6 }, seed: 4);
        float[] x = TestVectors.Unit(new Random(9), 9);
        var scores = new float[3];
        var means = new float[3];
        var widths = new float[3];

        scorer.Score(x, scores);
        scorer.Estimate(x, [0, 1, 2], means, widths);

        for (int k = 0; k < 3; k++)
        {
            scores[k].Should().BeApproximately(means[k] + (0.6f * widths[k]), 1e-6f);
            widths[k].Should().BeGreaterThan(0);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void EstimateMeans_EqualsTheMeansOfEstimate_InFullAndReducedMode(int reducedDimension)
    {
        var scorer = Trained(new() { Dimension = 19, ReducedDimension = reducedDimension, ProjectionSeed = 3 }, seed: 8);
        float[] x = TestVectors.Unit(new Random(10), 19);
        var means = new float[3];
        var widths = new float[3];
        var meansOnly = new float[3];

        scorer.Estimate(x, [0, 1, 2], means, widths);
        scorer.EstimateMeans(x, meansOnly);

        meansOnly.Should().Equal(means);
        means.Should().Contain(m => m != 0, "the arms were trained");
    }

    [Fact]
    public void Score_EligibleSubset_WritesScoresInSubsetOrder()
    {
        var scorer = Trained(new() { Dimension = 16 }, seed: 5);
        float[] x = TestVectors.Unit(new Random(16), 16);
        var all = new float[3];
        var subset = new float[3];

        scorer.Score(x, all);
        scorer.Score(x, [2, 0], subset.AsSpan(0, 2));

        subset[0].Should().BeApproximately(all[2], 1e-6f);
        subset[1].Should().BeApproximately(all[0], 1e-6f);
        subset[2].Should().Be(0, "elements past the subset are not written");
    }

    [Fact]
    public void Score_EmptySubset_WritesNothing()
    {
        var scorer = new ContextualBanditScorer(ThreeArms, new() { Dimension = 4 });
        float[] scores = [5];

        scorer.Score(new float[4], ReadOnlySpan<int>.Empty, scores);

        scores[0].Should().Be(5);
    }

    [Fact]
    public void ThompsonSampling_SameSeed_GivesIdenticalScores_DifferentSeedDiffers()
    {
        ContextualBanditScorer Create(long seed) => Trained(
            new() { Dimension = 8, Strategy = ExplorationStrategy.ThompsonSampling, Seed = seed },
            seed: 6);
        var first = Create(11);
        var second = Create(11);
        var other = Create(12);
        float[] x = TestVectors.Unit(new Random(8), 8);
        var a = new float[3];
        var b = new float[3];
        var c = new float[3];
        bool anyDifferent = false;

        for (int t = 0; t < 20; t++)
        {
            first.Score(x, a);
            second.Score(x, b);
            other.Score(x, c);
            a.Should().Equal(b);
            anyDifferent |= !a.AsSpan().SequenceEqual(c);
        }

        anyDifferent.Should().BeTrue();
    }

    [Fact]
    public void ThompsonSampling_ScoresAreNormalAroundTheMeanWithScaledWidth()
    {
        var scorer = Trained(
            new() { Dimension = 8, Strategy = ExplorationStrategy.ThompsonSampling, Seed = 3, Exploration = 2 },
            seed: 7);
        float[] x = TestVectors.Unit(new Random(1), 8);
        var means = new float[1];
        var widths = new float[1];
        scorer.Estimate(x, [1], means, widths);
        var score = new float[1];
        const int N = 20000;
        double sum = 0, sumSquares = 0;

        for (int t = 0; t < N; t++)
        {
            scorer.Score(x, [1], score);
            sum += score[0];
            sumSquares += score[0] * (double)score[0];
        }

        double mean = sum / N;
        double sd = Math.Sqrt((sumSquares / N) - (mean * mean));
        double expectedSd = 2 * widths[0];
        mean.Should().BeApproximately(means[0], 4 * expectedSd / Math.Sqrt(N));
        sd.Should().BeApproximately(expectedSd, 0.03 * expectedSd);
    }

    [Theory]
    [InlineData(ExplorationStrategy.UpperConfidenceBound)]
    [InlineData(ExplorationStrategy.ThompsonSampling)]
    public void Learning_SyntheticProblem_FindsTheBestArmPerContextRegion(ExplorationStrategy strategy)
    {
        // Context: bias, region indicator (±1) and three noise features. Arm 0 pays in region +1, arm 1 in
        // region −1, arm 2 pays a constant that is second best everywhere.
        const int D = 5;
        var scorer = new ContextualBanditScorer(
            ThreeArms,
            new() { Dimension = D, Exploration = 0.5, Strategy = strategy, Seed = 21 });
        var random = new Random(8);
        var scores = new float[3];

        for (int t = 0; t < 3000; t++)
        {
            float[] x = Context(random, out int region);
            scorer.Score(x, scores);
            int arm = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(scores);
            scorer.Update(arm, x, TrueReward(arm, region) + (0.1 * (random.NextDouble() - 0.5)));
        }

        int correct = 0;
        var means = new float[3];
        var widths = new float[3];
        for (int t = 0; t < 500; t++)
        {
            float[] x = Context(random, out int region);
            scorer.Estimate(x, [0, 1, 2], means, widths);
            int greedy = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(means);
            correct += greedy == (region > 0 ? 0 : 1) ? 1 : 0;
        }

        correct.Should().BeGreaterThanOrEqualTo(490);

        static double TrueReward(int arm, int region) => arm switch
        {
            0 => region > 0 ? 0.9 : 0.1,
            1 => region > 0 ? 0.1 : 0.9,
            _ => 0.6,
        };

        static float[] Context(Random random, out int region)
        {
            region = random.Next(2) == 0 ? -1 : 1;
            return
            [
                1,
                region,
                (float)(random.NextDouble() - 0.5),
                (float)(random.NextDouble() - 0.5),
                (float)(random.NextDouble() - 0.5),
            ];
        }
    }

    [Fact]
    public void ReducedMode_EqualsFullModeOnProjectedFeatures()
    {
        const int D = 48, M = 16;
        var reduced = new ContextualBanditScorer(
            ThreeArms,
            new() { Dimension = D, ReducedDimension = M, ProjectionSeed = 77 });
        var full = new ContextualBanditScorer(ThreeArms, new() { Dimension = M });
        var projection = new RandomProjection(D, M, 77);
        var random = new Random(9);
        var projected = new float[M];

        for (int t = 0; t < 30; t++)
        {
            float[] x = TestVectors.Unit(random, D);
            projection.Project(x, projected);
            reduced.Update(t % 3, x, t % 2);
            full.Update(t % 3, projected, t % 2);
        }

        float[] probe = TestVectors.Unit(random, D);
        projection.Project(probe, projected);
        var expected = new float[3];
        var actual = new float[3];
        full.Score(projected, expected);
        reduced.Score(probe, actual);

        reduced.ModelDimension.Should().Be(M);
        TestVectors.ShouldBeClose(actual, expected, 1e-5, 1e-6, "scores");
    }

    [Fact]
    public void Fit_EqualsOnlineUpdatesInOrder_ThenContinuesOnline()
    {
        var options = new ContextualBanditOptions { Dimension = 6, ForgettingFactor = 0.97 };
        var online = new ContextualBanditScorer(ThreeArms, options);
        var warm = new ContextualBanditScorer(ThreeArms, options);
        var random = new Random(10);
        var history = new List<BanditObservation>();
        for (int t = 0; t < 300; t++)
        {
            float[] x = TestVectors.Unit(random, 6);
            string arm = ThreeArms[random.Next(3)];
            double reward = random.NextDouble();
            history.Add(new BanditObservation(x, arm, reward));
            online.Update(arm, x, reward);
        }

        warm.Fit(history);
        float[] next = TestVectors.Unit(random, 6);
        online.Update(1, next, 0.5);
        warm.Update(1, next, 0.5);

        var expected = new float[3];
        var actual = new float[3];
        float[] probe = TestVectors.Unit(random, 6);
        online.Score(probe, expected);
        warm.Score(probe, actual);
        TestVectors.ShouldBeClose(actual, expected, 1e-3, 1e-4, "scores");
        for (int k = 0; k < 3; k++)
        {
            warm.GetUpdateCount(k).Should().Be(online.GetUpdateCount(k));
        }
    }

    [Fact]
    public void Fit_SumsInDoublePrecision_RowsAddedToASumBeyond2To24AreNotLost()
    {
        // In single precision 2²⁴ + 1 rounds back to 2²⁴, so past about 16.8 million identical rows a float sum stops
        // growing. One row with x₀ = 4096 and r = 4096 puts A₀₀ and b₀ at 2²⁴ at once; a thousand unit rows after it
        // must still count, as they would in exact arithmetic.
        var scorer = new ContextualBanditScorer(["only"], new() { Dimension = 2 });
        var history = new List<BanditObservation> { new(new float[] { 4096, 0 }, "only", 4096) };
        for (int i = 0; i < 1_000; i++)
        {
            history.Add(new BanditObservation(new float[] { 1, 0 }, "only", 1));
        }

        scorer.Fit(history);

        // 1 + 2²⁴ + 1,000 = 16,778,217 rounds to the even 16,778,216 in a float; 2²⁴ + 1,000 is exact.
        ArmData arm = scorer.Inspect(0);
        arm.Gram[0].Should().Be(16_778_216f, "A₀₀ = λ₀ + 4096² + 1,000");
        arm.Rewards[0].Should().Be(16_778_216f, "b₀ = 4096 · 4096 + 1,000");
        scorer.GetUpdateCount(0).Should().Be(1_001);
    }

    [Fact]
    public void Constructor_DefaultOptions_HaveDocumentedValues()
    {
        var options = new ContextualBanditOptions();
        var scorer = new ContextualBanditScorer(ThreeArms);

        options.Dimension.Should().Be(64);
        options.Exploration.Should().Be(1.0);
        options.RidgePrior.Should().Be(1.0);
        options.ForgettingFactor.Should().Be(1.0);
        options.Strategy.Should().Be(ExplorationStrategy.UpperConfidenceBound);
        options.ReducedDimension.Should().Be(0);
        scorer.Dimension.Should().Be(64);
        scorer.ModelDimension.Should().Be(64);
        scorer.ArmIds.Should().Equal(ThreeArms);
        scorer.GetArmIndex("c").Should().Be(2);
        scorer.TryGetArmIndex("zz", out _).Should().BeFalse();
    }

    [Fact]
    public void UntrainedArm_ScoresAlphaTimesNormOverSqrtPrior()
    {
        var scorer = new ContextualBanditScorer(["only"], new() { Dimension = 3, RidgePrior = 4, Exploration = 2 });
        var score = new float[1];

        scorer.Score([3, 0, 4], score);

        // θ = 0, A⁻¹ = I/4: 2·√(25/4) = 5.
        score[0].Should().BeApproximately(5f, 1e-6f);
    }

    internal static ContextualBanditScorer Trained(ContextualBanditOptions options, int seed)
    {
        var scorer = new ContextualBanditScorer(ThreeArms, options);
        var random = new Random(seed);
        for (int t = 0; t < 60; t++)
        {
            scorer.Update(t % 3, TestVectors.Unit(random, options.Dimension), random.NextDouble());
        }

        return scorer;
    }
}

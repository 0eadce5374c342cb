using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

public class ContextualBanditScorerSnapshotTests
{
    private static readonly string[] Arms = ["fast", "smart", "cheap"];

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void SaveThenLoad_IntoFreshScorer_ReproducesScoresExactly(int reducedDimension)
    {
        var options = new ContextualBanditOptions
        {
            Dimension = 12,
            ReducedDimension = reducedDimension,
            ForgettingFactor = 0.99,
        };
        ContextualBanditScorer source = Train(new ContextualBanditScorer(Arms, options), seed: 1, steps: 90);
        var target = new ContextualBanditScorer(Arms, options);
        byte[] bytes = ContextualBanditScorerValidationTests.Snapshot(source);

        target.LoadSnapshot(new MemoryStream(bytes));

        float[] probe = TestVectors.Unit(new Random(2), 12);
        var expected = new float[3];
        var actual = new float[3];
        source.Score(probe, expected);
        target.Score(probe, actual);
        actual.Should().Equal(expected);
        ContextualBanditScorerValidationTests.Snapshot(target).Should().Equal(bytes);
        target.GetUpdateCount(1).Should().Be(30);
    }

    [Fact]
    public void Load_ArmsInDifferentOrder_MatchesArmsById()
    {
        ContextualBanditScorer source = Train(new ContextualBanditScorer(Arms, new() { Dimension = 5 }), seed: 3, steps: 30);
        var reordered = new ContextualBanditScorer(["cheap", "fast", "smart"], new() { Dimension = 5 });

        reordered.LoadSnapshot(new MemoryStream(ContextualBanditScorerValidationTests.Snapshot(source)));

        float[] probe = TestVectors.Unit(new Random(4), 5);
        var expected = new float[3];
        var actual = new float[3];
        source.Score(probe, expected);
        reordered.Score(probe, actual);
        actual.Should().Equal(expected[2], expected[0], expected[1]);
    }

    public static TheoryData<string, Func<byte[], byte[]>, string> Corruptions() => new()
    {
        { "flipped byte", b => Flip(b, b.Length / 2), "*checksum*" },
        { "flipped checksum", b => Flip(b, b.Length - 1), "*checksum*" },
        { "truncated", b => b[..^10], "*truncated*" },
        { "truncated to header", b => b[..20], "*truncated*" },
        { "empty", _ => [], "*truncated*" },
        { "wrong magic", b => Flip(b, 0), "*not a MetaModel bandit snapshot*" },
        { "future version", b => SetInt(b, 4, 3), "*format version 3*" },
        { "extra bytes", b => [.. b, 0], "*header declares*" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Load_CorruptOrTruncated_RefusedWithClearMessage_StateUnchanged(
        string name,
        Func<byte[], byte[]> corrupt,
        string message)
    {
        ContextualBanditScorer target = Train(new ContextualBanditScorer(Arms, new() { Dimension = 6 }), seed: 5, steps: 12);
        byte[] before = ContextualBanditScorerValidationTests.Snapshot(target);
        byte[] other = ContextualBanditScorerValidationTests.Snapshot(
            Train(new ContextualBanditScorer(Arms, new() { Dimension = 6 }), seed: 6, steps: 40));

        Action load = () => target.LoadSnapshot(new MemoryStream(corrupt(other)));
        Action merge = () => target.MergeSnapshot(new MemoryStream(corrupt(other)));

        load.Should().Throw<InvalidDataException>(name).WithMessage(message);
        merge.Should().Throw<InvalidDataException>(name).WithMessage(message);
        ContextualBanditScorerValidationTests.Snapshot(target).Should().Equal(before);
    }

    public static TheoryData<string, string[], ContextualBanditOptions, string> Mismatches() => new()
    {
        { "dimension", Arms, new() { Dimension = 7 }, "*feature dimension 6; this scorer has dimension 7*" },
        { "reduced", Arms, new() { Dimension = 6, ReducedDimension = 3 }, "*model dimension 6; this scorer models 3*" },
        { "prior", Arms, new() { Dimension = 6, RidgePrior = 2 }, "*ridge prior 1; this scorer uses 2*" },
        { "forgetting", Arms, new() { Dimension = 6, ForgettingFactor = 0.95 }, "*forgetting factor 1; this scorer uses 0.95*" },
        { "missing arm", ["fast", "smart", "cheap", "new"], new() { Dimension = 6 }, "*missing from the snapshot [new]*" },
        { "unknown arm", ["fast", "smart"], new() { Dimension = 6 }, "*unknown to this scorer [cheap]*" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void Load_MismatchedScorer_RefusedWithClearMessage_StateUnchanged(
        string name,
        string[] arms,
        ContextualBanditOptions options,
        string message)
    {
        byte[] bytes = ContextualBanditScorerValidationTests.Snapshot(
            Train(new ContextualBanditScorer(Arms, new() { Dimension = 6 }), seed: 7, steps: 20));
        ContextualBanditScorer target = Train(new ContextualBanditScorer(arms, options), seed: 8, steps: 10);
        byte[] before = ContextualBanditScorerValidationTests.Snapshot(target);

        Action load = () => target.LoadSnapshot(new MemoryStream(bytes));
        Action merge = () => target.MergeSnapshot(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>(name).WithMessage(message);
        merge.Should().Throw<InvalidDataException>(name).WithMessage(message);
        ContextualBanditScorerValidationTests.Snapshot(target).Should().Equal(before);
    }

    [Fact]
    public void Load_ReducedModeWithOtherProjectionSeed_Refused()
    {
        var options = new ContextualBanditOptions { Dimension = 10, ReducedDimension = 4, ProjectionSeed = 1 };
        byte[] bytes = ContextualBanditScorerValidationTests.Snapshot(new ContextualBanditScorer(Arms, options));
        var target = new ContextualBanditScorer(Arms, new() { Dimension = 10, ReducedDimension = 4, ProjectionSeed = 2 });

        Action load = () => target.LoadSnapshot(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>().WithMessage("*projection seed 1; this scorer uses 2*");
    }

    [Fact]
    public void Load_SnapshotLearnedFromOtherFeatures_RefusedNamingBothSchemas_StateUnchanged()
    {
        byte[] bytes = ContextualBanditScorerValidationTests.Snapshot(
            Train(new ContextualBanditScorer(Arms, new() { Dimension = 6, FeatureSchema = "words, v1" }), seed: 7, steps: 20));
        ContextualBanditScorer target =
            Train(new ContextualBanditScorer(Arms, new() { Dimension = 6, FeatureSchema = "words, v2" }), seed: 8, steps: 10);
        byte[] before = ContextualBanditScorerValidationTests.Snapshot(target);

        Action load = () => target.LoadSnapshot(new MemoryStream(bytes));
        Action merge = () => target.MergeSnapshot(new MemoryStream(bytes));

        load.Should().Throw<InvalidDataException>().WithMessage("*other features (words, v1) than this scorer's (words, v2)*");
        merge.Should().Throw<InvalidDataException>().WithMessage("*other features (words, v1)*");
        ContextualBanditScorerValidationTests.Snapshot(target).Should().Equal(before);
    }

    [Theory]
    [InlineData("words, v1", "words, v1")]
    [InlineData(null, "words, v1")]
    [InlineData("words, v1", null)]
    public void Load_SameSchemaOrOneUnknown_Loads_AndTheSnapshotKeepsTheScorersOwnSchema(string? saved, string? current)
    {
        ContextualBanditScorer source =
            Train(new ContextualBanditScorer(Arms, new() { Dimension = 6, FeatureSchema = saved }), seed: 9, steps: 30);
        var target = new ContextualBanditScorer(Arms, new() { Dimension = 6, FeatureSchema = current });

        target.LoadSnapshot(new MemoryStream(ContextualBanditScorerValidationTests.Snapshot(source)));

        float[] probe = TestVectors.Unit(new Random(10), 6);
        var expected = new float[3];
        var actual = new float[3];
        source.Score(probe, expected);
        target.Score(probe, actual);
        actual.Should().Equal(expected);
        var reloaded = new ContextualBanditScorer(Arms, new() { Dimension = 6, FeatureSchema = "another" });
        byte[] resaved = ContextualBanditScorerValidationTests.Snapshot(target);
        Action loadElsewhere = () => reloaded.LoadSnapshot(new MemoryStream(resaved));
        if (current is null)
        {
            loadElsewhere.Should().NotThrow("a snapshot of a scorer without a schema records none");
        }
        else
        {
            loadElsewhere.Should().Throw<InvalidDataException>().WithMessage($"*({current})*");
        }
    }

    [Fact]
    public void Load_FormatVersion1_WithoutASchema_IsStillRead()
    {
        ContextualBanditScorer source = Train(new ContextualBanditScorer(Arms, new() { Dimension = 7 }), seed: 11, steps: 25);
        byte[] version1 = ToFormatVersion1(ContextualBanditScorerValidationTests.Snapshot(source));
        var target = new ContextualBanditScorer(Arms, new() { Dimension = 7, FeatureSchema = "hashing, features version 2" });

        target.LoadSnapshot(new MemoryStream(version1));

        ContextualBanditScorerValidationTests.Snapshot(target).Should().NotEqual(version1, "it is written as version 2");
        for (int k = 0; k < 3; k++)
        {
            target.Inspect(k).Inverse.Should().Equal(source.Inspect(k).Inverse);
            target.Inspect(k).Theta.Should().Equal(source.Inspect(k).Theta);
        }
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(1_000_000)]
    public void Load_SchemaLengthOutOfRange_EvenWithAValidChecksum_Refused(int byteCount)
    {
        byte[] bytes = ContextualBanditScorerValidationTests.Snapshot(new ContextualBanditScorer(Arms, new() { Dimension = 4 }));
        byte[] forged = Rechecksum(SetInt(bytes, SchemaOffset, byteCount));
        var target = new ContextualBanditScorer(Arms, new() { Dimension = 4 });

        Action load = () => target.LoadSnapshot(new MemoryStream(forged));

        load.Should().Throw<InvalidDataException>().WithMessage($"*feature schema has an invalid length of {byteCount} bytes*");
    }

    [Fact]
    public void Options_SchemaLongerThanTheLimit_Refused()
    {
        var options = new ContextualBanditOptions
        {
            FeatureSchema = new string('x', ContextualBanditScorer.MaximumFeatureSchemaLength + 1),
        };

        Action create = () => _ = new ContextualBanditScorer(Arms, options);

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*feature schema has 4097 characters; at most 4096*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Merge_TwoReplicas_EqualsTrainingOnTheUnion(int reducedDimension)
    {
        var options = new ContextualBanditOptions { Dimension = 9, ReducedDimension = reducedDimension, RidgePrior = 0.7 };
        var left = new ContextualBanditScorer(Arms, options);
        var right = new ContextualBanditScorer(Arms, options);
        var union = new ContextualBanditScorer(Arms, options);
        var random = new Random(9);
        for (int t = 0; t < 120; t++)
        {
            float[] x = TestVectors.Unit(random, 9);
            int arm = random.Next(3);
            double reward = random.NextDouble();
            (t % 2 == 0 ? left : right).Update(arm, x, reward);
            union.Update(arm, x, reward);
        }

        left.MergeSnapshot(new MemoryStream(ContextualBanditScorerValidationTests.Snapshot(right)));

        for (int k = 0; k < 3; k++)
        {
            ArmData merged = left.Inspect(k);
            ArmData expected = union.Inspect(k);
            TestVectors.ShouldBeClose(merged.Gram, expected.Gram, 1e-5, 1e-5, "A");
            TestVectors.ShouldBeClose(merged.Rewards, expected.Rewards, 1e-5, 1e-5, "b");
            TestVectors.ShouldBeClose(merged.Inverse, expected.Inverse, 1e-3, 1e-4, "A⁻¹");
            TestVectors.ShouldBeClose(merged.Theta, expected.Theta, 1e-3, 1e-4, "θ");
            merged.PriorMass.Should().Be(0.7);
            left.GetUpdateCount(k).Should().Be(union.GetUpdateCount(k));
        }
    }

    [Fact]
    public void WarmStartAndMerge_AfterTensOfThousandsOfIdenticalObservations_StillInvert()
    {
        // In single precision the rounding of 30,000 identical rank-one terms outgrows the prior of 1 on the diagonal.
        var x = new float[8];
        x[0] = 1;
        for (int i = 1; i < 8; i++)
        {
            x[i] = 0.1f * i;
        }

        var busy = new ContextualBanditScorer(["k"], new() { Dimension = 8 });
        for (int i = 0; i < 30_000; i++)
        {
            busy.Update(0, x, (i % 3) / 3.0);
        }

        byte[] snapshot = ContextualBanditScorerValidationTests.Snapshot(busy);
        var fresh = new ContextualBanditScorer(["k"], new() { Dimension = 8 });

        busy.Fit([new BanditObservation(x, "k", 0.5)]);
        fresh.MergeSnapshot(new MemoryStream(snapshot));

        MeanOf(busy, x).Should().BeApproximately(1 / 3f, 0.01f, "the mean reward of x");
        MeanOf(fresh, x).Should().BeApproximately(1 / 3f, 0.01f, "the mean reward of x");
        busy.Inspect(0).PriorMass.Should().BeInRange(1, 1 + (1e-3 * 30_000), "a small repair at most");
    }

    private static float MeanOf(ContextualBanditScorer scorer, float[] x)
    {
        var means = new float[1];
        scorer.Estimate(x, [0], means, new float[1]);
        return means[0];
    }

    private static ContextualBanditScorer Train(
        ContextualBanditScorer scorer,
        int seed,
        int steps)
    {
        var random = new Random(seed);
        for (int t = 0; t < steps; t++)
        {
            scorer.Update(t % scorer.ArmCount, TestVectors.Unit(random, scorer.Dimension), random.NextDouble());
        }

        return scorer;
    }

    /// <summary>Where a version 2 snapshot's feature schema starts: after the magic, version, length, d, m, projection
    /// seed, ridge prior and forgetting factor.</summary>
    private const int SchemaOffset = 4 + 4 + 8 + 4 + 4 + 8 + 8 + 8;

    /// <summary>Rewrites a version 2 snapshot without a schema as version 1, which had no schema field.</summary>
    private static byte[] ToFormatVersion1(byte[] version2)
    {
        BitConverter.ToInt32(version2, SchemaOffset).Should().Be(-1, "the snapshot must have no schema");
        int afterSchema = SchemaOffset + 4;
        byte[] body = [.. version2.AsSpan(0, SchemaOffset), .. version2.AsSpan(afterSchema, version2.Length - 32 - afterSchema)];
        BitConverter.GetBytes(1).CopyTo(body, 4);
        BitConverter.GetBytes((long)body.Length + 32).CopyTo(body, 8);
        return [.. body, .. System.Security.Cryptography.SHA256.HashData(body)];
    }

    private static byte[] Rechecksum(byte[] bytes)
    {
        byte[] copy = (byte[])bytes.Clone();
        System.Security.Cryptography.SHA256.HashData(copy.AsSpan(0, copy.Length - 32)).CopyTo(copy, copy.Length - 32);
        return copy;
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[index] ^= 0x5A;
        return copy;
    }

    private static byte[] SetInt(
        byte[] bytes,
        int index,
        int value)
    {
        byte[] copy = (byte[])bytes.Clone();
        BitConverter.GetBytes(value).CopyTo(copy, index);
        return copy;
    }
}

using System.Numerics.Tensors;
using MetaModel.Features;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Features;

public class EmbeddingPromptFeaturizerTests
{
    private static readonly List<ChatMessage> Messages =
    [
        new(ChatRole.System, "be brief"),
        new(ChatRole.User, "what is a bandit?"),
    ];

    [Fact]
    public async Task MatchingLength_CopiesAndNormalizes_WithBiasFirst()
    {
        using var generator = new FakeEmbeddingGenerator { Embed = _ => [3, 0, 4] };
        var featurizer = new EmbeddingPromptFeaturizer(generator, new() { Dimension = 4 });
        var v = new float[4];

        await featurizer.FeaturizeAsync(Messages, v);

        v.Should().Equal(1f, 0.6f, 0f, 0.8f);
        generator.Inputs.Should().Equal("be brief\nwhat is a bandit?");
    }

    [Fact]
    public async Task RandomProjection_IsDeterministicPerSeed_AndPreservesSimilarity()
    {
        var random = new Random(3);
        float[] a = RandomEmbedding(random, 384);
        float[] b = (float[])a.Clone();
        b[0] += 0.5f;
        float[] c = RandomEmbedding(random, 384);
        using var generator = new FakeEmbeddingGenerator { Embed = text => text switch { "a" => a, "b" => b, _ => c } };
        var featurizer = new EmbeddingPromptFeaturizer(generator, new() { Dimension = 65, ProjectionSeed = 9 });
        var same = new EmbeddingPromptFeaturizer(generator, new() { Dimension = 65, ProjectionSeed = 9 });
        var otherSeed = new EmbeddingPromptFeaturizer(generator, new() { Dimension = 65, ProjectionSeed = 10 });

        float[] fa = await Features(featurizer, "a");
        float[] fb = await Features(featurizer, "b");
        float[] fc = await Features(featurizer, "c");

        (await Features(same, "a")).Should().Equal(fa);
        (await Features(otherSeed, "a")).Should().NotEqual(fa);
        TensorPrimitives.Norm<float>(fa.AsSpan(1)).Should().BeApproximately(1f, 1e-5f);
        float near = TensorPrimitives.Dot<float>(fa.AsSpan(1), fb.AsSpan(1));
        float far = TensorPrimitives.Dot<float>(fa.AsSpan(1), fc.AsSpan(1));
        near.Should().BeGreaterThan(0.9f);
        Math.Abs(far).Should().BeLessThan(0.5f);
    }

    [Fact]
    public async Task Truncation_KeepsLeadingValues_AndPadsShortEmbeddings()
    {
        using var generator = new FakeEmbeddingGenerator { Embed = text => text == "long" ? [3, 4, 100, 100] : [2] };
        var featurizer = new EmbeddingPromptFeaturizer(
            generator,
            new() { Dimension = 3, Reduction = EmbeddingReduction.Truncation });

        (await Features(featurizer, "long")).Should().Equal(1f, 0.6f, 0.8f);
        (await Features(featurizer, "short")).Should().Equal(1f, 1f, 0f);
    }

    [Theory]
    [InlineData(3e38f, EmbeddingReduction.RandomProjection)]
    [InlineData(3e38f, EmbeddingReduction.Truncation)]
    [InlineData(1e30f, EmbeddingReduction.RandomProjection)]
    [InlineData(1e-40f, EmbeddingReduction.RandomProjection)]
    [InlineData(1e-40f, EmbeddingReduction.Truncation)]
    public async Task EmbeddingAtTheEndsOfTheFloatRange_IsStillNormalized(float scale, EmbeddingReduction reduction)
    {
        // Squaring such values overflowed or vanished: the features came out NaN (a projection of 3e38), all 0
        // (norm infinite) or not normalized (norm 0), though only the embedding's direction matters.
        var random = new Random(5);
        float[] unit = RandomEmbedding(random, 96);
        float[] extreme = [.. unit.Select(v => v * scale)];
        using var generator = new FakeEmbeddingGenerator { Embed = text => text == "plain" ? unit : extreme };
        var featurizer = new EmbeddingPromptFeaturizer(generator, new() { Dimension = 33, Reduction = reduction });

        float[] scaled = await Features(featurizer, "scaled");

        scaled.Should().OnlyContain(v => float.IsFinite(v));
        TensorPrimitives.Norm<float>(scaled.AsSpan(1)).Should().BeApproximately(1f, 1e-4f);
        float[] plain = await Features(featurizer, "plain");
        TensorPrimitives.Dot<float>(scaled.AsSpan(1), plain.AsSpan(1)).Should().BeApproximately(1f, 1e-3f);
    }

    [Fact]
    public async Task NoText_WritesBiasOnly_WithoutCallingTheGenerator()
    {
        using var generator = new FakeEmbeddingGenerator();
        var featurizer = new EmbeddingPromptFeaturizer(generator, new() { Dimension = 3 });
        float[] v = [9, 9, 9];

        await featurizer.FeaturizeAsync([new ChatMessage(ChatRole.User, "")], v);

        v.Should().Equal(1f, 0f, 0f);
        generator.Inputs.Should().BeEmpty();
    }

    [Fact]
    public async Task CustomTextSelector_ChoosesWhatIsEmbedded()
    {
        using var generator = new FakeEmbeddingGenerator();
        var featurizer = new EmbeddingPromptFeaturizer(
            generator,
            new() { Dimension = 4, TextSelector = m => m.Last(x => x.Role == ChatRole.User).Text });

        await featurizer.FeaturizeAsync(Messages, new float[4]);

        generator.Inputs.Should().Equal("what is a bandit?");
    }

    [Fact]
    public async Task BadGeneratorOutputOrArguments_Throw()
    {
        using var generator = new FakeEmbeddingGenerator { Embed = _ => [float.NaN, 1, 1] };
        var featurizer = new EmbeddingPromptFeaturizer(generator, new() { Dimension = 4 });

        Func<Task> nonFinite = async () => await featurizer.FeaturizeAsync(Messages, new float[4]);
        Func<Task> wrongLength = async () => await featurizer.FeaturizeAsync(Messages, new float[5]);
        Action tooSmall = () => _ = new EmbeddingPromptFeaturizer(generator, new() { Dimension = 1 });

        await nonFinite.Should().ThrowAsync<InvalidOperationException>().WithMessage("*non-finite*");
        await wrongLength.Should().ThrowAsync<ArgumentException>().WithParameterName("destination");
        tooSmall.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static async Task<float[]> Features(EmbeddingPromptFeaturizer featurizer, string text)
    {
        var v = new float[featurizer.Dimension];
        await featurizer.FeaturizeAsync([new ChatMessage(ChatRole.User, text)], v);
        return v;
    }

    private static float[] RandomEmbedding(Random random, int length)
    {
        var v = new float[length];
        for (int i = 0; i < length; i++)
        {
            v[i] = (float)(random.NextDouble() - 0.5);
        }

        return v;
    }
}

using System.Numerics.Tensors;
using MetaModel.EmbeddingReplay;
using Microsoft.Extensions.AI;

namespace MetaModel.EmbeddingReplay.Tests;

public class MiniLmEmbeddingGeneratorTests
{
    [Fact]
    public async Task Generate_ReturnsNormalizedVectors_CloserForRelatedTexts_InInputOrder()
    {
        using var generator = new MiniLmEmbeddingGenerator(batchSize: 2);

        GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync(
            ["How do I reverse a list in Python?", "Python: reverse the order of a list", "The cat slept on the warm mat."]);

        embeddings.Should().HaveCount(3);
        float[][] v = [.. embeddings.Select(e => e.Vector.ToArray())];
        v.Should().AllSatisfy(x => x.Length.Should().Be(MiniLmEmbeddingGenerator.Dimensions));
        v.Should().AllSatisfy(x => TensorPrimitives.Norm<float>(x).Should().BeApproximately(1f, 1e-3f));
        TensorPrimitives.Dot<float>(v[0], v[1]).Should().BeGreaterThan(TensorPrimitives.Dot<float>(v[0], v[2]) + 0.3f);
        embeddings[0].ModelId.Should().Be(MiniLmEmbeddingGenerator.ModelId);
    }

    [Fact]
    public void Metadata_NamesTheModelAndItsDimensions()
    {
        using var generator = new MiniLmEmbeddingGenerator();

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        metadata!.DefaultModelId.Should().Be("all-MiniLM-L6-v2");
        metadata.DefaultModelDimensions.Should().Be(384);
        generator.GetService<EmbeddingGeneratorMetadata>("key").Should().BeNull();
    }

    [Fact]
    public async Task Generate_RefusesOtherDimensions_CancelledCalls_AndUseAfterDispose()
    {
        var generator = new MiniLmEmbeddingGenerator();

        await FluentActions.Awaiting(() => generator.GenerateAsync(["x"], new() { Dimensions = 128 }))
            .Should().ThrowAsync<NotSupportedException>();
        await FluentActions.Awaiting(() => generator.GenerateAsync(["x"], cancellationToken: new CancellationToken(true)))
            .Should().ThrowAsync<OperationCanceledException>();
        generator.Dispose();
        generator.Dispose();
        await FluentActions.Awaiting(() => generator.GenerateAsync(["x"]))
            .Should().ThrowAsync<ObjectDisposedException>();
    }
}

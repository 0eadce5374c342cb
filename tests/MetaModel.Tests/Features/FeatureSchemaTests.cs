using MetaModel.Features;
using MetaModel.Routing;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Features;

public class FeatureSchemaTests
{
    [Fact]
    public void Hashing_NamesTheFeatureVersionAndTheDimension()
    {
        new HashingPromptFeaturizer(96).FeatureSchema
            .Should().Be($"hashing, features version {HashingPromptFeaturizer.FeatureVersion}, d = 96");
    }

    [Fact]
    public void Task_ExtendsTheInnerSchemaWithTheLabelSlots()
    {
        new TaskFeaturizer(new HashingPromptFeaturizer(), taskSlots: 16).FeatureSchema
            .Should().Be(
                $"hashing, features version {HashingPromptFeaturizer.FeatureVersion}, d = 64, plus the task label in 16 slots");
    }

    [Fact]
    public void Embedding_NamesTheProviderModelReductionAndDimension_TheOptionsModelFirst()
    {
        using var generator = new FakeEmbeddingGenerator
        {
            Metadata = new("onnx", defaultModelId: "mini", defaultModelDimensions: 3),
        };

        new EmbeddingPromptFeaturizer(generator, new() { Dimension = 8, ProjectionSeed = 5 }).FeatureSchema
            .Should().Be("embedding by onnx mini, random projection (seed 5), d = 8");
        new EmbeddingPromptFeaturizer(generator, new()
        {
            Dimension = 4,
            Reduction = EmbeddingReduction.Truncation,
            GenerationOptions = new() { ModelId = "large" },
        }).FeatureSchema.Should().Be("embedding by onnx large, truncation, d = 4");
    }

    [Fact]
    public void Embedding_WithoutMetadata_NamesTheGeneratorType()
    {
        using var generator = new FakeEmbeddingGenerator();

        new EmbeddingPromptFeaturizer(generator, new() { Dimension = 8, ProjectionSeed = 1 }).FeatureSchema
            .Should().Be($"embedding by {typeof(FakeEmbeddingGenerator).FullName}, random projection (seed 1), d = 8");
    }

    [Fact]
    public void AFeaturizerThatDoesNotSay_IsNamedByItsTypeAndDimension()
    {
        IPromptFeaturizer featurizer = new ConstantFeaturizer(5);

        featurizer.FeatureSchema.Should().Be($"{typeof(ConstantFeaturizer).FullName}, d = 5");
    }

    internal sealed class ConstantFeaturizer(int dimension) : IPromptFeaturizer
    {
        public int Dimension => dimension;

        public ValueTask FeaturizeAsync(
            IEnumerable<ChatMessage> messages,
            Memory<float> destination,
            CancellationToken cancellationToken = default)
        {
            destination.Span.Fill(1f / MathF.Sqrt(dimension));
            return default;
        }
    }
}

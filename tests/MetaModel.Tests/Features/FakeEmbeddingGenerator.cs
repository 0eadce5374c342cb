using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Features;

/// <summary>An embedding generator whose output is a settable function of the input text.</summary>
internal sealed class FakeEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public Func<string, float[]> Embed { get; set; } = _ => [1, 0, 0];

    public List<string> Inputs { get; } = [];

    public EmbeddingGeneratorMetadata? Metadata { get; init; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (string value in values)
        {
            Inputs.Add(value);
            result.Add(new Embedding<float>(Embed(value)));
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata : null;

    public void Dispose()
    {
    }
}

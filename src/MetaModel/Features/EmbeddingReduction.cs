namespace MetaModel.Features;

/// <summary>How an <see cref="EmbeddingPromptFeaturizer"/> maps an embedding to fewer (or more) values.</summary>
public enum EmbeddingReduction
{
    /// <summary>
    /// A seeded Gaussian random projection, which preserves inner products in expectation for any embedding model.
    /// </summary>
    RandomProjection = 0,

    /// <summary>
    /// Keep the leading values (zero-padding a shorter embedding). Suits models trained so that prefixes of an
    /// embedding are embeddings themselves (Matryoshka representation learning); for other models prefer
    /// <see cref="RandomProjection"/>.
    /// </summary>
    Truncation = 1,
}

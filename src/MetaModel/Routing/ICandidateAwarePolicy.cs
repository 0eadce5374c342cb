using MetaModel.Candidates;

namespace MetaModel.Routing;

/// <summary>A routing policy that must know every candidate and the feature dimension before its first decision.</summary>
/// <remarks>
/// <see cref="MetaModelChatClient"/> calls <see cref="Initialize(IReadOnlyList{IModelCandidate}, IPromptFeaturizer)"/>
/// once, from its constructor. A policy instance
/// serves one metamodel: initializing it again with other candidates or another dimension is refused.
/// </remarks>
public interface ICandidateAwarePolicy
{
    /// <summary>
    /// Prepares the policy for <paramref name="candidates"/> and feature vectors of
    /// <paramref name="featureDimension"/>.
    /// </summary>
    /// <param name="candidates">Every candidate of the metamodel, in registration order.</param>
    /// <param name="featureDimension">The length of the feature vectors requests will carry; 0 without a featurizer.</param>
    /// <returns>The configuration problems found; empty when the policy is ready.</returns>
    IReadOnlyList<string> Initialize(IReadOnlyList<IModelCandidate> candidates, int featureDimension);

    /// <summary>
    /// Prepares the policy for <paramref name="candidates"/> and the feature vectors that
    /// <paramref name="featurizer"/> writes.
    /// </summary>
    /// <param name="candidates">Every candidate of the metamodel, in registration order.</param>
    /// <param name="featurizer">The metamodel's featurizer, or <see langword="null"/> when it has none.</param>
    /// <returns>The configuration problems found; empty when the policy is ready.</returns>
    /// <remarks>
    /// <see cref="MetaModelChatClient"/> calls this overload. The default implementation passes the featurizer's
    /// dimension to <see cref="Initialize(IReadOnlyList{IModelCandidate}, int)"/>; a policy that keeps what it
    /// learns can also record the featurizer's <see cref="IPromptFeaturizer.FeatureSchema"/>.
    /// </remarks>
    IReadOnlyList<string> Initialize(IReadOnlyList<IModelCandidate> candidates, IPromptFeaturizer? featurizer) =>
        Initialize(candidates, featurizer?.Dimension ?? 0);
}

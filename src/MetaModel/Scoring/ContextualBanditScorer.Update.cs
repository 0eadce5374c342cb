namespace MetaModel.Scoring;

/// <content>Online updates.</content>
public sealed partial class ContextualBanditScorer
{
    /// <summary>Records that arm <paramref name="arm"/> earned <paramref name="reward"/> on context
    /// <paramref name="features"/>.</summary>
    /// <param name="arm">The index of the arm that was chosen.</param>
    /// <param name="features">The context x the decision was made on, of length <see cref="Dimension"/>, all finite.</param>
    /// <param name="reward">The observed reward r, a finite number (stored in single precision).</param>
    /// <remarks>
    /// Computes Aₖ ← γAₖ + xxᵀ and bₖ ← γbₖ + r·x, and maintains Aₖ⁻¹ and θₖ by the discounted
    /// Sherman–Morrison identity in O(d²) without inverting. Updates of the same arm are serialized;
    /// decisions running meanwhile see the state before or after this update, never a mix. Allocation-free.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The index is out of range, the features have the wrong length or a non-finite value, or the reward is not
    /// finite. The state is then unchanged.
    /// </exception>
    public void Update(
        int arm,
        ReadOnlySpan<float> features,
        double reward)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(arm);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(arm, _arms.Length);
        ValidateFeatures(features, nameof(features));
        ValidateReward(reward, nameof(reward));

        int m = ModelDimension;
        int padded = BlockedSymmetric.PaddedDimension(m);
        // The arm's two padded vectors come first in the scratch, so both start on whole blocks of a cache line.
        Span<float> scratch = ScratchBuffers.Vectors((2 * padded) + m);
        ReadOnlySpan<float> x = Project(features, scratch.Slice(2 * padded, m));
        _arms[arm].Update(x, (float)reward, _gamma, _ridgePrior, scratch.Slice(0, 2 * padded));
    }

    /// <summary>Records that the arm named <paramref name="armId"/> earned <paramref name="reward"/>.</summary>
    /// <remarks>Same as <see cref="Update(int, ReadOnlySpan{float}, double)"/> after looking the id up.</remarks>
    /// <exception cref="ArgumentException">The id is unknown, or the features or reward are invalid.</exception>
    public void Update(
        string armId,
        ReadOnlySpan<float> features,
        double reward) =>
        Update(GetArmIndex(armId), features, reward);

    /// <summary>Returns the vector the arms model: <paramref name="features"/> itself, or its projection.</summary>
    private ReadOnlySpan<float> Project(ReadOnlySpan<float> features, Span<float> destination)
    {
        if (_projection is null)
        {
            return features;
        }

        _projection.Project(features, destination);
        return destination;
    }
}

namespace MetaModel.Scoring;

/// <summary>A detached copy of one arm's statistics, used to snapshot, restore, merge and warm-start.</summary>
/// <remarks>
/// Holds Aₖ = pI + Σ γ^age·xxᵀ (packed), its inverse (packed), bₖ, θₖ = Aₖ⁻¹bₖ, the update count and the prior
/// mass p that Aₖ still carries on its diagonal.
/// </remarks>
internal sealed class ArmData
{
    public ArmData(int dimension)
    {
        Gram = new float[PackedSymmetric.Length(dimension)];
        Inverse = new float[Gram.Length];
        Rewards = new float[dimension];
        Theta = new float[dimension];
    }

    /// <summary>Gets the packed matrix Aₖ.</summary>
    public float[] Gram { get; }

    /// <summary>Gets the packed matrix Aₖ⁻¹.</summary>
    public float[] Inverse { get; }

    /// <summary>Gets bₖ, the reward-weighted sum of feature vectors.</summary>
    public float[] Rewards { get; }

    /// <summary>Gets θₖ = Aₖ⁻¹bₖ.</summary>
    public float[] Theta { get; }

    /// <summary>Gets or sets the number of updates applied to the arm.</summary>
    public long Updates { get; set; }

    /// <summary>Gets or sets the prior mass p that remains on the diagonal of Aₖ.</summary>
    public double PriorMass { get; set; }

    /// <summary>Gets the dimension of the arm's model.</summary>
    public int Dimension => Theta.Length;

    /// <summary>Recomputes <see cref="Inverse"/> and <see cref="Theta"/> from <see cref="Gram"/> and
    /// <see cref="Rewards"/>.</summary>
    /// <returns><see langword="false"/> when Aₖ is not positive definite.</returns>
    public bool TryRefreshInverse()
    {
        if (!SymmetricInverse.TryInvertPacked(Gram, Inverse, Dimension))
        {
            return false;
        }

        SymmetricInverse.MultiplyVectorPrecise(Inverse, Rewards, Theta);
        return true;
    }

    /// <summary>Adds <paramref name="amount"/> to the diagonal of Aₖ and to the recorded prior mass.</summary>
    public void AddToPrior(double amount)
    {
        int d = Dimension;
        for (int i = 0; i < d; i++)
        {
            Gram[PackedSymmetric.RowOffset(d, i)] += (float)amount;
        }

        PriorMass += amount;
    }
}

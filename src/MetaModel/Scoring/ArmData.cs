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
    /// <returns><see langword="false"/> when Aₖ is not positive definite even after the repair below.</returns>
    /// <remarks>
    /// Aₖ is accumulated in single precision. After tens of thousands of nearly identical observations the
    /// rounding of its data part outgrows the prior on its diagonal, and Aₖ can come out slightly indefinite. Such
    /// an Aₖ is repaired by adding to the prior 10⁻⁶ of its mean diagonal, then ten times more at each further
    /// attempt, up to 10⁻³: a little more regularization for an arm that has plenty of data.
    /// </remarks>
    public bool TryRefreshInverse()
    {
        double meanDiagonal = 0;
        for (int i = 0; i < Dimension; i++)
        {
            meanDiagonal += Gram[PackedSymmetric.RowOffset(Dimension, i)];
        }

        meanDiagonal /= Dimension;
        for (double repair = 1e-6; !SymmetricInverse.TryInvertPacked(Gram, Inverse, Dimension); repair *= 10)
        {
            if (repair > 1e-3 || !(meanDiagonal > 0) || !double.IsFinite(meanDiagonal))
            {
                return false;
            }

            AddToPrior(repair * meanDiagonal);
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

namespace MetaModel.Scoring;

/// <summary>Options for a <see cref="ContextualBanditScorer"/>.</summary>
/// <remarks>
/// The scorer copies and validates these values when it is constructed; later changes to the instance have no
/// effect on it.
/// </remarks>
public sealed class ContextualBanditOptions
{
    /// <summary>Gets or sets the length d of the feature vectors the scorer accepts.</summary>
    /// <value>A positive number. The default is 64.</value>
    public int Dimension { get; set; } = 64;

    /// <summary>Gets or sets the exploration weight α applied to the uncertainty √(xᵀAₖ⁻¹x).</summary>
    /// <value>A finite non-negative number; 0 makes the scorer greedy. The default is 1.0.</value>
    /// <remarks>
    /// Used by both strategies: as the confidence-bound multiplier for
    /// <see cref="ExplorationStrategy.UpperConfidenceBound"/> and as the posterior scale v for
    /// <see cref="ExplorationStrategy.ThompsonSampling"/>.
    /// </remarks>
    public double Exploration { get; set; } = 1.0;

    /// <summary>Gets or sets the ridge prior λ₀: every arm starts from A₀ = λ₀I, b₀ = 0.</summary>
    /// <value>
    /// A number from <see cref="ContextualBanditScorer.MinimumRidgePrior"/> (10⁻⁶) to
    /// <see cref="ContextualBanditScorer.MaximumRidgePrior"/> (10⁶), which single-precision state can hold with its
    /// inverse. The default is 1.0.
    /// </value>
    public double RidgePrior { get; set; } = 1.0;

    /// <summary>Gets or sets the forgetting factor γ that discounts past observations on each update of an arm.</summary>
    /// <value>A number from <see cref="ContextualBanditScorer.MinimumForgettingFactor"/> (0.5) to 1; 1 keeps all history.
    /// The default is 1.0.</value>
    /// <remarks>
    /// An update of arm k computes Aₖ ← γAₖ + xxᵀ and bₖ ← γbₖ + r·x, so an observation seen n updates ago
    /// weighs γⁿ (an effective window of about 1/(1 − γ) updates). The prior decays with the data; see
    /// <see cref="ContextualBanditScorer"/> for how it is re-anchored.
    /// </remarks>
    public double ForgettingFactor { get; set; } = 1.0;

    /// <summary>Gets or sets how scores trade estimate against uncertainty.</summary>
    /// <value>The default is <see cref="ExplorationStrategy.UpperConfidenceBound"/>.</value>
    public ExplorationStrategy Strategy { get; set; } = ExplorationStrategy.UpperConfidenceBound;

    /// <summary>Gets or sets the seed of the Thompson-sampling draws.</summary>
    /// <value>
    /// <see langword="null"/> to seed from <see cref="Random.Shared"/>; set it for reproducible decisions.
    /// The default is <see langword="null"/>.
    /// </value>
    public long? Seed { get; set; }

    /// <summary>Gets or sets the model dimension d′ of the reduced mode, or 0 to model the features directly.</summary>
    /// <value>0, or a number in [1, <see cref="Dimension"/>). The default is 0.</value>
    /// <remarks>
    /// When set, every feature vector is first mapped to d′ values by one seeded Gaussian random projection shared
    /// by all arms, and the bandit models the projected vector. A decision then costs O(d·d′ + K·d′²) instead of
    /// O(K·d²). The price is expressiveness: the scorer can only learn reward functions that are linear in the
    /// projected features, so distinctions that the projection blurs are lost, and with small d′ different
    /// contexts can look alike to the exploration bonus.
    /// </remarks>
    public int ReducedDimension { get; set; }

    /// <summary>Gets or sets the seed of the reduced mode's random projection.</summary>
    /// <value>Any number. The default is 0x5EED.</value>
    /// <remarks>A snapshot records this seed and is refused by a scorer whose projection differs.</remarks>
    public long ProjectionSeed { get; set; } = 0x5EED;

    /// <summary>Gets or sets a description of the features the scorer learns from, such as a featurizer's
    /// <see cref="Routing.IPromptFeaturizer.FeatureSchema"/>.</summary>
    /// <value>At most <see cref="ContextualBanditScorer.MaximumFeatureSchemaLength"/> characters, or
    /// <see langword="null"/> when not known. The default is
    /// <see langword="null"/>.</value>
    /// <remarks>
    /// Snapshots record it. A snapshot whose schema differs from this one is refused, since what an arm learned from
    /// one set of features means nothing for another; a snapshot or a scorer without a schema is not checked.
    /// </remarks>
    public string? FeatureSchema { get; set; }
}

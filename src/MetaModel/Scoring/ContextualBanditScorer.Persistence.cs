using System.Globalization;

namespace MetaModel.Scoring;

/// <content>Snapshots, restore and replica merge.</content>
public sealed partial class ContextualBanditScorer
{
    /// <summary>
    /// Writes the complete state (A, A⁻¹, b, θ and counters of every arm) to <paramref name="destination"/>.
    /// </summary>
    /// <param name="destination">A writable stream; the snapshot is written at its current position.</param>
    /// <remarks>
    /// The binary format starts with a magic number, a format version, the dimensions and the
    /// <see cref="FeatureSchema"/>, holds the arm ids and all their statistics, and ends with a SHA-256 checksum.
    /// Each arm is captured consistently; arms are captured one after another, so updates that run meanwhile may be
    /// included for some arms and not others. Decisions are not blocked.
    /// </remarks>
    public void SaveSnapshot(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);

        var arms = new ArmData[_arms.Length];
        for (int k = 0; k < _arms.Length; k++)
        {
            arms[k] = new ArmData(ModelDimension);
            lock (_arms[k].Gate)
            {
                _arms[k].CaptureLocked(arms[k]);
            }
        }

        CreateSnapshot(arms).WriteTo(destination);
    }

    /// <summary>Replaces the state of every arm with the state in a snapshot.</summary>
    /// <param name="source">A stream positioned at a snapshot written by <see cref="SaveSnapshot"/>.</param>
    /// <remarks>
    /// Arms are matched by id, so the snapshot's arm order does not matter. The snapshot is read and verified
    /// completely before any arm changes, and decisions see every arm as it was before the load or every arm as
    /// loaded, never some of each.
    /// </remarks>
    /// <exception cref="InvalidDataException">
    /// The snapshot is corrupt, truncated, of an unknown format version, or does not match this scorer (feature
    /// dimension, feature schema, model dimension, projection seed, ridge prior, forgetting factor or arm ids differ).
    /// The state is then unchanged. The feature schemas are compared only when both the snapshot and this scorer have
    /// one.
    /// </exception>
    public void LoadSnapshot(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArmData[] incoming = ReadCompatible(source);

        EnterAll();
        try
        {
            PublishAllLocked(incoming);
        }
        finally
        {
            ExitAll();
        }
    }

    /// <summary>Adds the statistics of another replica, taken from its snapshot, to this scorer's.</summary>
    /// <param name="source">A stream positioned at the other replica's snapshot.</param>
    /// <remarks>
    /// <para>
    /// With Aₖ = pI + Sₖ, where p is the prior mass left on the diagonal and Sₖ the (discounted) data part, the
    /// merge computes Sₖ = S₁ + S₂, bₖ = b₁ + b₂, p = max(p₁, p₂), so the shared ridge prior is counted once, and
    /// then recomputes Aₖ⁻¹ and θₖ in double precision (O(K·d³), off the hot path). For γ = 1 this equals training
    /// one scorer on the union of both replicas' observations, up to rounding.
    /// </para>
    /// <para>
    /// The rule assumes the replicas saw disjoint observations after starting from the prior: merging replicas
    /// that share a common history counts that history twice, and with γ &lt; 1 the result only approximates a
    /// single stream, because each replica discounted on its own clock. Replicas with different forgetting factors
    /// are not merged: their sums are discounted at different rates.
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidDataException">As for <see cref="LoadSnapshot"/>; the state is then unchanged.</exception>
    public void MergeSnapshot(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArmData[] incoming = ReadCompatible(source);

        EnterAll();
        try
        {
            // Compute every merged arm before publishing any, so a failure leaves the state unchanged.
            var merged = new ArmData[_arms.Length];
            for (int k = 0; k < _arms.Length; k++)
            {
                var mine = new ArmData(ModelDimension);
                _arms[k].CaptureLocked(mine);
                merged[k] = Merge(mine, incoming[k], ArmIds[k]);
            }

            PublishAllLocked(merged);
        }
        finally
        {
            ExitAll();
        }
    }

    private static ArmData Merge(
        ArmData mine,
        ArmData other,
        string armId)
    {
        var result = new ArmData(mine.Dimension)
        {
            Updates = mine.Updates + other.Updates,
            PriorMass = mine.PriorMass + other.PriorMass,
        };
        for (int i = 0; i < result.Gram.Length; i++)
        {
            result.Gram[i] = mine.Gram[i] + other.Gram[i];
        }

        for (int i = 0; i < result.Rewards.Length; i++)
        {
            result.Rewards[i] = mine.Rewards[i] + other.Rewards[i];
        }

        // Both matrices carry a prior on their diagonal; keep only the larger one.
        result.AddToPrior(-Math.Min(mine.PriorMass, other.PriorMass));

        if (!result.TryRefreshInverse())
        {
            throw new InvalidDataException($"Merging arm '{armId}' produced a matrix that is not positive definite.");
        }

        return result;
    }

    private BanditSnapshot CreateSnapshot(ArmData[] arms) => new()
    {
        Dimension = Dimension,
        ModelDimension = ModelDimension,
        ProjectionSeed = ProjectionSeed,
        RidgePrior = _ridgePrior,
        ForgettingFactor = ForgettingFactor,
        FeatureSchema = FeatureSchema,
        ArmIds = ArmIds,
        Arms = arms,
    };

    /// <summary>Reads a snapshot and returns its arms in this scorer's index order, or throws if it does not fit.</summary>
    private ArmData[] ReadCompatible(Stream source)
    {
        BanditSnapshot snapshot = BanditSnapshot.ReadFrom(source);
        if (snapshot.Dimension != Dimension)
        {
            throw new InvalidDataException(
                $"The snapshot was taken with feature dimension {snapshot.Dimension}; this scorer has dimension {Dimension}.");
        }

        if (snapshot.ModelDimension != ModelDimension)
        {
            throw new InvalidDataException(
                $"The snapshot was taken with model dimension {snapshot.ModelDimension}; this scorer models {ModelDimension}.");
        }

        if (_projection is not null && snapshot.ProjectionSeed != ProjectionSeed)
        {
            throw new InvalidDataException(
                $"The snapshot was taken with projection seed {snapshot.ProjectionSeed}; this scorer uses {ProjectionSeed}.");
        }

        if (snapshot.FeatureSchema is { } learned && FeatureSchema is { } current
            && !string.Equals(learned, current, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"The snapshot was learned from other features ({learned}) than this scorer's ({current}); what an " +
                "arm learned from one set of features does not carry over to another, so the model must be relearned.");
        }

        if (snapshot.RidgePrior != _ridgePrior)
        {
            throw new InvalidDataException(string.Create(
                CultureInfo.InvariantCulture,
                $"The snapshot was taken with ridge prior {snapshot.RidgePrior}; this scorer uses {_ridgePrior}."));
        }

        // An arm's statistics are discounted sums: the prior mass left on A's diagonal, when it is re-anchored and
        // what a merge adds up all depend on γ, so a state learned at one rate does not continue at another.
        if (snapshot.ForgettingFactor != ForgettingFactor)
        {
            throw new InvalidDataException(string.Create(
                CultureInfo.InvariantCulture,
                $"The snapshot was taken with forgetting factor {snapshot.ForgettingFactor}; this scorer uses " +
                $"{ForgettingFactor}."));
        }

        var byIndex = new ArmData?[_arms.Length];
        var unknown = new List<string>();
        for (int i = 0; i < snapshot.ArmIds.Count; i++)
        {
            if (_indexById.TryGetValue(snapshot.ArmIds[i], out int k) && byIndex[k] is null)
            {
                byIndex[k] = snapshot.Arms[i];
            }
            else
            {
                unknown.Add(snapshot.ArmIds[i]);
            }
        }

        var missing = new List<string>();
        for (int k = 0; k < _arms.Length; k++)
        {
            if (byIndex[k] is null)
            {
                missing.Add(ArmIds[k]);
            }
        }

        if (unknown.Count > 0 || missing.Count > 0)
        {
            throw new InvalidDataException(
                "The snapshot's arms do not match this scorer's: "
                + $"missing from the snapshot [{string.Join(", ", missing)}], "
                + $"unknown to this scorer [{string.Join(", ", unknown)}].");
        }

        return byIndex!;
    }

    /// <summary>
    /// Publishes new states for the arms that have one, as one change for decisions: they retry rather than read
    /// some arms before it and others after. The caller holds every arm's writer lock. <paramref name="alongside"/>,
    /// when given, runs after the arms are written and before decisions may read them.
    /// </summary>
    private void PublishAllLocked(ArmData?[] arms, Action? alongside = null)
    {
        Interlocked.Increment(ref _generation);
        try
        {
            for (int k = 0; k < arms.Length; k++)
            {
                if (arms[k] is { } arm)
                {
                    _arms[k].PublishLocked(arm);
                }
            }

            alongside?.Invoke();
        }
        finally
        {
            Interlocked.Increment(ref _generation);
        }
    }

    /// <summary>Takes every arm's writer lock in index order (a fixed order cannot deadlock).</summary>
    private void EnterAll()
    {
        foreach (ArmState arm in _arms)
        {
            arm.Gate.Enter();
        }
    }

    private void ExitAll()
    {
        for (int k = _arms.Length - 1; k >= 0; k--)
        {
            _arms[k].Gate.Exit();
        }
    }
}

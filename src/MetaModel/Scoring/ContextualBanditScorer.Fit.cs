namespace MetaModel.Scoring;

/// <content>Warm start from history.</content>
public sealed partial class ContextualBanditScorer
{
    /// <summary>Warm-starts the arms from historical observations, applied in order after the current state.</summary>
    /// <param name="history">The observations, oldest first.</param>
    /// <remarks>
    /// <para>
    /// The result equals calling <see cref="Update(string, ReadOnlySpan{float}, double)"/> for each observation in
    /// order, up to rounding, but is computed in batch: Aₖ and bₖ are accumulated directly (O(d²) per observation),
    /// in double precision so that no number of observations stops the sums from growing, rounded to the arms'
    /// single-precision state once, and each touched arm's inverse and θₖ are computed once at the end in double
    /// precision. Scoring and updating continue online afterwards.
    /// </para>
    /// <para>
    /// Every observation is validated before anything is published, and all arms' writer locks are held while
    /// <paramref name="history"/> is enumerated, so concurrent updates wait (decisions do not).
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// An observation names an unknown arm, or has features of the wrong length, or features or a reward that are
    /// not finite or beyond ±<see cref="MaximumMagnitude"/>. The message gives its position; the state is then
    /// unchanged.
    /// </exception>
    public void Fit(IEnumerable<BanditObservation> history) => Fit(history, prepare: null);

    /// <summary>
    /// Warm-starts the arms as <see cref="Fit(IEnumerable{BanditObservation})"/> does, and publishes a caller's own
    /// state learned from the same history (such as a policy's cost statistics) in the same change: readers that
    /// check <see cref="BeginConsistentRead"/> and <see cref="EndConsistentRead"/> see both from before or both
    /// from after.
    /// </summary>
    /// <param name="history">The observations, oldest first.</param>
    /// <param name="prepare">
    /// Called once the arms' new states are computed and before they are published, with every arm's writer lock
    /// held (updates wait, decisions do not), and given the means θₖ·x of the new states. It may throw, and then
    /// nothing changes. The action it returns runs inside the publication, while decisions wait: it should only
    /// swap in what <paramref name="prepare"/> computed, and must not throw.
    /// </param>
    internal void Fit(IEnumerable<BanditObservation> history, Func<MeanEstimator, Action>? prepare)
    {
        ArgumentNullException.ThrowIfNull(history);
        int m = ModelDimension;
        var projected = new float[m];

        EnterAll();
        try
        {
            // Sums in double precision, rounded to the arms' single-precision state once at the end (see ArmSums).
            var sums = new ArmSums?[_arms.Length];
            long position = 0;
            foreach (BanditObservation observation in history)
            {
                int k = ValidateObservation(observation, position, nameof(history));
                ArmSums arm = sums[k] ??= new ArmSums(Capture(k));
                ReadOnlySpan<float> x = Project(observation.Features.Span, projected);

                if (_gamma != 1f)
                {
                    arm.Discount(_gamma);
                }

                arm.Add(x, observation.Reward);

                // The same re-anchoring rule as online updates, so batch and online results agree.
                if (arm.PriorMass < _ridgePrior * ArmState.ReanchorFraction)
                {
                    arm.AddToPrior(_ridgePrior - arm.PriorMass);
                }

                position++;
            }

            var working = new ArmData?[_arms.Length];
            for (int k = 0; k < sums.Length; k++)
            {
                if (sums[k] is not { } arm)
                {
                    continue;
                }

                ArmData data = arm.ToArmData();
                if (!data.TryRefreshInverse())
                {
                    throw new ArgumentException(
                        $"The history makes arm '{ArmIds[k]}' numerically singular; no arm was changed.",
                        nameof(history));
                }

                working[k] = data;
            }

            Action? alongside = prepare?.Invoke(PendingMeans(working));
            PublishAllLocked(working, alongside);
        }
        finally
        {
            ExitAll();
        }
    }

    /// <summary>
    /// Returns an estimator of θₖ·x for every arm as it will be once <paramref name="working"/> is published: the new
    /// state of the arms that have one, the current state of the others. The caller holds every arm's writer lock.
    /// </summary>
    private MeanEstimator PendingMeans(ArmData?[] working) => (features, means) =>
    {
        ValidateFeatures(features, nameof(features));
        ValidateDestination(means, _arms.Length, nameof(means));
        int m = ModelDimension;
        ReadOnlySpan<float> model = Project(features, ScratchBuffers.Vectors(m));
        for (int k = 0; k < _arms.Length; k++)
        {
            // The same kernel as a published arm's estimate, so that the two agree exactly.
            means[k] = working[k] is { } arm ? PackedKernels.Dot(arm.Theta, model) : _arms[k].EvaluateMean(model);
        }
    };

    /// <summary>Returns a consistent copy of one arm's statistics, for tests and diagnostics.</summary>
    internal ArmData Inspect(int arm)
    {
        lock (_arms[arm].Gate)
        {
            return Capture(arm);
        }
    }

    private ArmData Capture(int arm)
    {
        var data = new ArmData(ModelDimension);
        _arms[arm].CaptureLocked(data);
        return data;
    }

    private int ValidateObservation(
        BanditObservation observation,
        long position,
        string parameterName)
    {
        if (observation.ArmId is null || !_indexById.TryGetValue(observation.ArmId, out int arm))
        {
            throw new ArgumentException(
                $"Observation {position} names unknown arm id '{observation.ArmId}'; no arm was changed.",
                parameterName);
        }

        ReadOnlySpan<float> features = observation.Features.Span;
        if (features.Length != Dimension || !IsWithinRange(features))
        {
            throw new ArgumentException(
                $"Observation {position} has an invalid feature vector (length {features.Length}, expected "
                + $"{Dimension}, all finite and within ±{MaximumMagnitude:0.#####E+0}); no arm was changed.",
                parameterName);
        }

        if (!double.IsFinite(observation.Reward))
        {
            throw new ArgumentException(
                $"Observation {position} has a non-finite reward ({observation.Reward}); no arm was changed.",
                parameterName);
        }

        if (Math.Abs(observation.Reward) > MaximumMagnitude)
        {
            throw new ArgumentException(
                $"Observation {position} has a reward of {observation.Reward}, beyond ±{MaximumMagnitude:0.#####E+0}; " +
                "no arm was changed.",
                parameterName);
        }

        return arm;
    }
}

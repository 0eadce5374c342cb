using System.Globalization;
using MetaModel.Candidates;
using MetaModel.Routing;
using MetaModel.Scoring;

namespace MetaModel.Policies;

/// <summary>
/// The learning policy: predicts each candidate's answer quality for the prompt with a contextual bandit and trades
/// it against the candidate's expected cost and latency.
/// </summary>
/// <remarks>
/// <para>
/// For a prompt with features x, candidate k scores
/// q̂ₖ(x) + α·uₖ(x) − λ·cₖ(t) / c̄ − μ·lₖ / l_max,
/// where q̂ₖ(x) = q₀ + θₖ·x and uₖ(x) = √(xᵀAₖ⁻¹x) come from a disjoint LinUCB model per candidate of its
/// quality's difference from the prior quality q₀ (<see cref="ContextualBanditScorer"/>), cₖ(t) is the candidate's
/// cost predicted for a prompt of t tokens (a least-squares line over its observed costs; its list price for the
/// request's size until one is observed), c̄ the largest mean cost among the eligible candidates, lₖ the mean
/// latency and l_max the largest among the eligible candidates. With Thompson sampling the uncertainty
/// term is α·uₖ(x)·zₖ with one standard normal draw per candidate.
/// </para>
/// <para>
/// This maximizes the expected reward quality − λ·cost − μ·latency (in units of the dearest candidate's typical
/// cost and the slowest candidate's latency): by linearity of expectation the three terms are learned separately,
/// so the cost weight λ can change, by configuration or by budget pacing, without relearning quality. Quality is
/// learned from the delayed feedback only; a failed attempt does not teach the quality model, since an outage says
/// nothing about how good the model's answers are.
/// </para>
/// <para>
/// Decisions take no lock: the quality model is lock-free, and cost and latency are read as single published
/// values. Needs prompt features: the metamodel's featurizer (by default the hashing featurizer) supplies them.
/// </para>
/// </remarks>
public sealed class BanditRoutingPolicy : IRoutingPolicy, ICandidateAwarePolicy
{
    /// <summary>The name this policy is recorded and configured under.</summary>
    public const string PolicyName = "bandit";

    private const double LatencySmoothing = 0.05;
    private const int StackLimit = 64;
    private const double MaximumCostWeight = 1_000;
    private const int MaximumReportedProblems = 20;
    private const int MaximumFullDimension = 4096;
    private const double PlausibleCostSlack = 10;

    private readonly BanditRoutingOptions _options;
    private readonly Random? _seededRandom;
    private readonly Lock _randomLock = new();
    private ContextualBanditScorer? _scorer;
    private Dictionary<string, int> _armByCandidate = new(StringComparer.Ordinal);
    private ArmStatistics[] _statistics = [];
    private IModelCandidate[] _candidates = [];
    private double _costWeight;
    private LambdaText? _lambdaText;

    /// <summary>Initializes a new instance of the <see cref="BanditRoutingPolicy"/> class.</summary>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A setting is out of range; the message lists every problem.</exception>
    public BanditRoutingPolicy(BanditRoutingOptions? options = null)
    {
        _options = options ?? new BanditRoutingOptions();
        IReadOnlyList<string> problems = _options.Validate();
        if (problems.Count > 0)
        {
            throw new PolicySettingsException(PolicyName, problems, nameof(options));
        }

        _costWeight = _options.CostWeight;
        _seededRandom = _options.Seed is long seed ? new Random(unchecked((int)(seed ^ (seed >> 32)))) : null;
    }

    /// <inheritdoc/>
    public string Name => PolicyName;

    /// <inheritdoc/>
    public string Version => "1";

    /// <summary>Gets the current cost weight λ, which budget pacing adapts.</summary>
    public double CurrentCostWeight => Volatile.Read(ref _costWeight);

    /// <summary>Gets the quality model, for snapshots, merges and inspection.</summary>
    /// <exception cref="InvalidOperationException">The policy has not been initialized by a metamodel yet.</exception>
    public ContextualBanditScorer Scorer => _scorer ?? throw NotInitialized();

    /// <inheritdoc/>
    /// <remarks>The scorer's snapshots then record no feature schema, and load whatever features they were learned
    /// from; prefer the overload that takes the featurizer.</remarks>
    public IReadOnlyList<string> Initialize(IReadOnlyList<IModelCandidate> candidates, int featureDimension) =>
        Initialize(candidates, featureDimension, featureSchema: null);

    /// <inheritdoc/>
    /// <remarks>The scorer records the featurizer's <see cref="IPromptFeaturizer.FeatureSchema"/> in its snapshots,
    /// and refuses a snapshot learned from features with another schema.</remarks>
    public IReadOnlyList<string> Initialize(IReadOnlyList<IModelCandidate> candidates, IPromptFeaturizer? featurizer) =>
        Initialize(candidates, featurizer?.Dimension ?? 0, featurizer?.FeatureSchema);

    private IReadOnlyList<string> Initialize(
        IReadOnlyList<IModelCandidate> candidates,
        int featureDimension,
        string? featureSchema)
    {
        ArgumentNullException.ThrowIfNull(candidates);

        string[] ids = candidates.Select(c => c.Id).ToArray();
        if (_scorer is { } existing)
        {
            return existing.ArmIds.SequenceEqual(ids, StringComparer.Ordinal) && existing.Dimension == featureDimension
                ? []
                : ["The bandit policy is already used by a metamodel with other candidates or features; " +
                    "use one instance per metamodel."];
        }

        if (featureSchema is { Length: > ContextualBanditScorer.MaximumFeatureSchemaLength })
        {
            return [$"The featurizer's feature schema has {featureSchema.Length} characters; the bandit records at most " +
                $"{ContextualBanditScorer.MaximumFeatureSchemaLength}."];
        }

        if (featureDimension <= 0)
        {
            return ["The bandit policy needs prompt features: configure a featurizer (UseFeaturizer) for the metamodel."];
        }

        if (_options.ReducedDimension == 0 && featureDimension > MaximumFullDimension)
        {
            long megabytes = 2L * featureDimension * (featureDimension + 1) * sizeof(float) / 2 / 1_000_000;
            return [
                $"The bandit would model {featureDimension} features in full, about {megabytes:N0} MB per candidate; " +
                $"set its ReducedDimension (for example 64) for more than {MaximumFullDimension} features.",
            ];
        }

        if (_options.ReducedDimension >= featureDimension)
        {
            return [$"The bandit's ReducedDimension ({_options.ReducedDimension}) " +
                $"must be below the feature dimension ({featureDimension})."];
        }

        _scorer = new ContextualBanditScorer(ids, new ContextualBanditOptions
        {
            Dimension = featureDimension,
            Exploration = _options.Exploration,
            RidgePrior = _options.RidgePrior,
            ForgettingFactor = _options.ForgettingFactor,
            Strategy = _options.Strategy,
            Seed = _options.Seed,
            ReducedDimension = _options.ReducedDimension,
            FeatureSchema = featureSchema,
        });
        _armByCandidate = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        _statistics = candidates.Select(c => new ArmStatistics(PlausibleCostCeiling(c))).ToArray();
        _candidates = candidates.ToArray();
        return [];
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The request has no eligible candidates, names a candidate this policy was
    /// not initialized with, or has features of the wrong length or with a value that is not finite.</exception>
    public RoutingDecision Decide(RoutingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ContextualBanditScorer scorer = _scorer ?? throw NotInitialized();

        var eligible = request.EligibleCandidates;
        int n = eligible.Count;
        if (n == 0)
        {
            throw new ArgumentException(
                "The request has no eligible candidates; the bandit policy needs at least one to rank.",
                nameof(request));
        }

        Span<int> arms = n <= StackLimit ? stackalloc int[n] : new int[n];
        Span<float> means = n <= StackLimit ? stackalloc float[n] : new float[n];
        Span<float> widths = n <= StackLimit ? stackalloc float[n] : new float[n];
        Span<double> costs = n <= StackLimit ? stackalloc double[n] : new double[n];
        for (int i = 0; i < n; i++)
        {
            arms[i] = ArmOf(eligible[i].Id);
        }

        // A warm start publishes quality, costs and λ as one change: read them all from the same side of it.
        double maxCost;
        double maxLatency;
        double lambda;
        int generation;
        do
        {
            generation = scorer.BeginConsistentRead();
            scorer.Estimate(request.Features.Span, arms, means, widths);

            // The cost scale is the dearest eligible candidate's mean cost over all prompts, not its cost for this
            // prompt: one λ then trades quality against dollars at the same rate on every request, which is what
            // maximizes total quality for a total spend, and sends long (dear) prompts to cheaper candidates first.
            maxCost = 0;
            maxLatency = 0;
            for (int i = 0; i < n; i++)
            {
                ArmStatistics statistics = _statistics[arms[i]];
                costs[i] = statistics.ExpectedCost(
                    eligible[i],
                    request.EstimatedInputTokens,
                    _options.AssumedOutputTokens,
                    out double typical);
                maxCost = Math.Max(maxCost, typical);
                maxLatency = Math.Max(maxLatency, statistics.Latency);
            }

            lambda = CurrentCostWeight;
        }
        while (!scorer.EndConsistentRead(generation));

        double mu = _options.LatencyWeight;
        var ranked = new CandidateScore[n];
        int greedy = 0;
        double greedyValue = double.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            double value = _options.PriorQuality + means[i]
                - (maxCost > 0 ? lambda * costs[i] / maxCost : 0)
                - (maxLatency > 0 ? mu * _statistics[arms[i]].Latency / maxLatency : 0);
            if (value > greedyValue)
            {
                greedyValue = value;
                greedy = i;
            }

            double bonus = _options.Exploration * widths[i];
            if (_options.Strategy == ExplorationStrategy.ThompsonSampling)
            {
                bonus *= NextStandardNormal();
            }

            ranked[i] = new CandidateScore(eligible[i], value + bonus);
        }

        string greedyId = eligible[greedy].Id;
        ScoreOrdering.SortDescending(ranked);
        IModelCandidate chosen = ranked[0].Candidate;
        bool explored = !string.Equals(chosen.Id, greedyId, StringComparison.Ordinal);
        string reason = explored
            ? $"exploring {chosen.Id}: its uncertainty outweighs the expected advantage of {greedyId}"
            : $"{chosen.Id} has the best expected quality net of cost (λ={FormatLambda(lambda)})";
        return new RoutingDecision(ranked, reason, explored);
    }

    /// <summary>Formats λ for a decision's reason, reusing the text while λ stays the same (always, without pacing).</summary>
    private string FormatLambda(double lambda)
    {
        LambdaText? last = _lambdaText;
        if (last is null || last.Value != lambda)
        {
            last = new LambdaText(lambda, lambda.ToString("0.###", CultureInfo.InvariantCulture));
            _lambdaText = last;
        }

        return last.Text;
    }

    /// <inheritdoc/>
    public void Observe(AttemptObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (!observation.Succeeded || _scorer is null || observation.CandidateId is null
            || !_armByCandidate.TryGetValue(observation.CandidateId, out int arm))
        {
            return;
        }

        // A cost no call to this candidate can incur at its list prices (a provider's or an integration's error),
        // or a negative cost or prompt size, would skew its cost line for thousands of requests and throw the paced
        // λ far off: only the latency of such a call is learned. Budgets and the decision log still see the cost as
        // reported. A negative duration (a clock that stepped back) teaches no latency either.
        double cost = (double)observation.CostUsd;
        double latency = observation.Duration.TotalSeconds;
        bool plausibleCost = cost >= 0 && observation.EstimatedInputTokens >= 0 && cost <= _statistics[arm].CostCeiling;
        if (plausibleCost && latency >= 0)
        {
            _statistics[arm].Add(cost, observation.EstimatedInputTokens, latency);
        }
        else if (plausibleCost)
        {
            _statistics[arm].AddCost(cost, observation.EstimatedInputTokens);
        }
        else if (latency >= 0)
        {
            _statistics[arm].AddLatency(latency);
        }

        if (plausibleCost)
        {
            Pace(cost);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The quality is not a number from 0 to 1; nothing is learned.</exception>
    /// <exception cref="ArgumentException">The candidate is unknown, or the features are invalid; nothing is learned.
    /// </exception>
    public void ObserveFeedback(QualityFeedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        ContextualBanditScorer scorer = _scorer ?? throw NotInitialized();
        if (!double.IsFinite(feedback.Quality) || feedback.Quality is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(feedback),
                feedback.Quality,
                $"The feedback for '{feedback.CandidateId}' has a quality of {feedback.Quality}; it must be from 0 to 1.");
        }

        scorer.Update(ArmOf(feedback.CandidateId), feedback.Features.Span, feedback.Quality - _options.PriorQuality);
    }

    /// <summary>Warm-starts quality, cost and latency from historical outcomes, then keeps learning online.</summary>
    /// <remarks>
    /// <para>
    /// With <see cref="BanditRoutingOptions.TargetCostPerRequestUsd"/> set, the cost weight then starts at the
    /// smallest λ at which greedy choices on the history's prompts would have met the target, instead of at
    /// <see cref="BanditRoutingOptions.CostWeight"/>, and pacing corrects it from there.
    /// </para>
    /// <para>
    /// Thread safety: the quality model, the cost statistics and the calibrated λ change as one, so a decision made
    /// meanwhile uses all three from before the warm start or all three from after it. Everything is computed before
    /// that change; decisions then wait only while one summary of costs per candidate is swapped in. Feedback that
    /// arrives during a warm start waits for it; costs observed meanwhile are kept.
    /// </para>
    /// </remarks>
    /// <param name="history">The outcomes, oldest first; features must come from the metamodel's featurizer.</param>
    /// <exception cref="ArgumentException">
    /// A record names an unknown candidate, has a quality outside [0, 1], a negative cost or prompt size, a prompt
    /// larger than the candidate's context window, a cost above what one call can cost at the candidate's list
    /// prices (a whole context window of input and of output, times 10), or features of the wrong length or with a
    /// value that is not finite or beyond ±10⁶. Nothing is learned then: the whole history is
    /// validated first, and the message lists the problems (the first 20) by record number, counted from 1.
    /// </exception>
    /// <exception cref="InvalidOperationException">The policy has not been initialized by a metamodel yet.</exception>
    public void WarmStart(IEnumerable<BanditHistoryRecord> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        ContextualBanditScorer scorer = _scorer ?? throw NotInitialized();

        BanditHistoryRecord[] records = history.ToArray();
        var problems = new List<string>();
        for (int i = 0; i < records.Length && problems.Count < MaximumReportedProblems; i++)
        {
            BanditHistoryRecord record = records[i];
            if (record.CandidateId is null)
            {
                problems.Add($"History record {i + 1} names no candidate.");
            }
            else if (!_armByCandidate.ContainsKey(record.CandidateId))
            {
                problems.Add($"History record {i + 1} names unknown candidate '{record.CandidateId}'.");
            }

            if (!double.IsFinite(record.Quality) || record.Quality is < 0 or > 1)
            {
                problems.Add($"History record {i + 1} has a quality of {record.Quality}; it must be from 0 to 1.");
            }

            if (record.CostUsd < 0)
            {
                problems.Add($"History record {i + 1} has a negative cost ({record.CostUsd}).");
            }

            if (record.InputTokens < 0)
            {
                problems.Add($"History record {i + 1} has a negative prompt size ({record.InputTokens} tokens).");
            }

            if (FeatureProblem(record.Features.Span, scorer.Dimension) is { } featureProblem)
            {
                problems.Add($"History record {i + 1} {featureProblem}.");
            }

            if (record.CandidateId is not null && _armByCandidate.TryGetValue(record.CandidateId, out int arm))
            {
                IModelCandidate candidate = _candidates[arm];
                if (candidate.ContextWindow > 0 && record.InputTokens > candidate.ContextWindow)
                {
                    problems.Add(
                        $"History record {i + 1} has a prompt of {record.InputTokens} tokens, more than the " +
                        $"{candidate.ContextWindow}-token context window of '{candidate.Id}'.");
                }

                double ceiling = _statistics[arm].CostCeiling;
                if ((double)record.CostUsd > ceiling)
                {
                    problems.Add(
                        $"History record {i + 1} has a cost of {record.CostUsd} USD, more than one call to " +
                        $"'{candidate.Id}' can cost at its list prices " +
                        $"({ceiling.ToString("0.##", CultureInfo.InvariantCulture)} USD).");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(
                "The history was not learned from: " + string.Join(" ", problems) +
                (problems.Count >= MaximumReportedProblems ? " (first problems only)" : string.Empty),
                nameof(history));
        }

        // The history's costs are summed apart from those observed live, so that learning them is one step per
        // candidate; the scorer then publishes them, and the calibrated λ, in the same change as the quality model.
        var historyCosts = new CostMoments[_statistics.Length];
        foreach (BanditHistoryRecord record in records)
        {
            int arm = _armByCandidate[record.CandidateId];
            historyCosts[arm] = historyCosts[arm].Add((double)record.CostUsd, record.InputTokens);
        }

        // The scorer validates features and qualities before it changes anything, so a bad record leaves the policy
        // as it was.
        scorer.Fit(
            records.Select(r => new BanditObservation(r.Features, r.CandidateId, r.Quality - _options.PriorQuality)),
            estimate => PrepareCosts(estimate, records, historyCosts));
    }

    /// <summary>
    /// Calibrates the starting λ on the warm-started model, when pacing, and returns the step that applies it and
    /// the history's costs; the scorer runs that step inside its publication of the quality model.
    /// </summary>
    private Action PrepareCosts(
        ContextualBanditScorer.MeanEstimator estimate,
        BanditHistoryRecord[] records,
        CostMoments[] historyCosts)
    {
        double? costWeight = null;
        if (_options.TargetCostPerRequestUsd is double target && records.Length > 0)
        {
            var lines = new CostLine?[_statistics.Length];
            for (int a = 0; a < lines.Length; a++)
            {
                lines[a] = _statistics[a].Moments.Combine(historyCosts[a]).ToLine();
            }

            costWeight = CalibrateCostWeight(estimate, lines, records, target);
        }

        return () =>
        {
            for (int a = 0; a < historyCosts.Length; a++)
            {
                _statistics[a].AddMoments(historyCosts[a]);
            }

            if (costWeight is double weight)
            {
                Volatile.Write(ref _costWeight, weight);
            }
        };
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> DescribeParameters() => new Dictionary<string, string>
    {
        ["costWeight"] = _options.CostWeight.ToString(CultureInfo.InvariantCulture),
        ["latencyWeight"] = _options.LatencyWeight.ToString(CultureInfo.InvariantCulture),
        ["targetCostPerRequestUsd"] = _options.TargetCostPerRequestUsd?.ToString(CultureInfo.InvariantCulture) ?? "none",
        ["pacingStepSize"] = _options.PacingStepSize.ToString(CultureInfo.InvariantCulture),
        ["priorQuality"] = _options.PriorQuality.ToString(CultureInfo.InvariantCulture),
        ["exploration"] = _options.Exploration.ToString(CultureInfo.InvariantCulture),
        ["strategy"] = _options.Strategy.ToString(),
        ["ridgePrior"] = _options.RidgePrior.ToString(CultureInfo.InvariantCulture),
        ["forgettingFactor"] = _options.ForgettingFactor.ToString(CultureInfo.InvariantCulture),
        ["reducedDimension"] = _options.ReducedDimension.ToString(CultureInfo.InvariantCulture),
        ["featureDimension"] = _scorer?.Dimension.ToString(CultureInfo.InvariantCulture) ?? "uninitialized",
    };

    /// <summary>
    /// Finds the smallest λ at which the policy, choosing greedily among all candidates, would have spent no more
    /// than <paramref name="target"/> per request on the history's prompts; pacing then starts from there.
    /// </summary>
    /// <remarks>
    /// Pacing from a far-off starting λ overspends (or underspends) while λ travels, and by the telescoping of its
    /// steps the whole journey shows up in the final mean cost. Starting where the history says the target is met
    /// leaves pacing only the drift between history and live traffic to correct. Spend falls as λ grows, so the
    /// smallest λ that meets the target is found by bisection.
    /// </remarks>
    private double CalibrateCostWeight(
        ContextualBanditScorer.MeanEstimator estimate,
        CostLine?[] lines,
        BanditHistoryRecord[] records,
        double target)
    {
        // One row per distinct prompt: the history repeats a prompt's features for every candidate that answered it.
        var prompts = new List<(ReadOnlyMemory<float> Features, int Tokens)>();
        var seen = new HashSet<ReadOnlyMemory<float>>();
        foreach (BanditHistoryRecord record in records)
        {
            // Memory equality is identity: the same array, offset and length.
            if (seen.Add(record.Features))
            {
                prompts.Add((record.Features, record.InputTokens));
            }
        }

        int k = _statistics.Length;
        var means = new float[prompts.Count * k];
        var costs = new double[prompts.Count * k];
        double scale = 0;
        for (int a = 0; a < k; a++)
        {
            scale = Math.Max(scale, lines[a]?.MeanCost ?? 0);
        }

        for (int p = 0; p < prompts.Count; p++)
        {
            estimate(prompts[p].Features.Span, means.AsSpan(p * k, k));
            for (int a = 0; a < k; a++)
            {
                costs[(p * k) + a] = ArmStatistics.ExpectedCost(
                    lines[a],
                    _candidates[a],
                    prompts[p].Tokens,
                    _options.AssumedOutputTokens,
                    out _);
            }
        }

        if (scale <= 0 || MeanSpend(0) <= target)
        {
            return 0;
        }

        double high = Math.Max(_options.CostWeight, 0.01);
        while (MeanSpend(high) > target && high < MaximumCostWeight)
        {
            high *= 2;
        }

        double low = 0;
        for (int i = 0; i < 40 && high - low > 1e-4; i++)
        {
            double middle = (low + high) / 2;
            if (MeanSpend(middle) > target)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return Math.Min(high, MaximumCostWeight);

        double MeanSpend(double lambda)
        {
            double total = 0;
            for (int p = 0; p < prompts.Count; p++)
            {
                int best = 0;
                double bestValue = double.NegativeInfinity;
                for (int a = 0; a < k; a++)
                {
                    double value = means[(p * k) + a] - (lambda * costs[(p * k) + a] / scale);
                    if (value > bestValue)
                    {
                        bestValue = value;
                        best = a;
                    }
                }

                total += costs[(p * k) + best];
            }

            return total / prompts.Count;
        }
    }

    /// <summary>
    /// The most one call to <paramref name="candidate"/> can plausibly cost: a whole context window of input and one
    /// of output at its list prices, times 10 for surcharges such as long-context tiers and cache writes. Infinite
    /// when the candidate has no prices or no context window.
    /// </summary>
    private static double PlausibleCostCeiling(IModelCandidate candidate)
    {
        double perToken = (double)(candidate.Pricing.InputPerMillion + candidate.Pricing.OutputPerMillion) / 1_000_000;
        return candidate.ContextWindow > 0 && perToken > 0
            ? PlausibleCostSlack * perToken * candidate.ContextWindow
            : double.PositiveInfinity;
    }

    /// <summary>Describes what is wrong with a history record's features, or returns <see langword="null"/>.</summary>
    private static string? FeatureProblem(ReadOnlySpan<float> features, int dimension)
    {
        if (features.Length != dimension)
        {
            return $"has {features.Length} features; the featurizer writes {dimension}";
        }

        for (int j = 0; j < features.Length; j++)
        {
            if (!float.IsFinite(features[j]) || Math.Abs(features[j]) > ContextualBanditScorer.MaximumMagnitude)
            {
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"has feature {j} = {features[j]}; features must be finite and within " +
                    $"±{ContextualBanditScorer.MaximumMagnitude:0.#####E+0}");
            }
        }

        return null;
    }

    private static InvalidOperationException NotInitialized() =>
        new("The bandit policy is not initialized: use it through a MetaModelChatClient, " +
            "which initializes it with its candidates.");

    private int ArmOf(string? candidateId) =>
        candidateId is null
            ? throw new ArgumentException("No candidate was named (the candidate id is null).", nameof(candidateId))
            : _armByCandidate.TryGetValue(candidateId, out int arm)
            ? arm
            : throw new ArgumentException($"'{candidateId}' is not a candidate of this bandit policy.", nameof(candidateId));

    private double NextStandardNormal()
    {
        // Box–Muller from two uniforms in (0, 1].
        double u1;
        double u2;
        if (_seededRandom is null)
        {
            u1 = 1 - Random.Shared.NextDouble();
            u2 = Random.Shared.NextDouble();
        }
        else
        {
            lock (_randomLock)
            {
                u1 = 1 - _seededRandom.NextDouble();
                u2 = _seededRandom.NextDouble();
            }
        }

        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private void Pace(double cost)
    {
        if (_options.TargetCostPerRequestUsd is not double target)
        {
            return;
        }

        double delta = _options.PacingStepSize * (cost - target) / target;
        double current = Volatile.Read(ref _costWeight);
        while (true)
        {
            double next = Math.Clamp(current + delta, 0, MaximumCostWeight);
            double seen = Interlocked.CompareExchange(ref _costWeight, next, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>A candidate's observed cost and latency, written under a lock and read as published values.</summary>
    /// <remarks>
    /// Cost is modelled per request as a straight line in the prompt's size, c(t) = c̄ + β·(t − t̄), fitted by least
    /// squares over the observed (tokens, cost) pairs: what a call costs grows with its prompt, and a flat mean
    /// would charge a long prompt like a short one. Until enough sizes are seen the slope is the list price per
    /// input token.
    /// </remarks>
    private sealed class ArmStatistics(double costCeiling)
    {
        private readonly Lock _lock = new();
        private CostMoments _moments;
        private CostLine? _line;
        private double _latency;

        public double Latency => Volatile.Read(ref _latency);

        /// <summary>Gets the most one call can plausibly cost (see <see cref="PlausibleCostCeiling"/>).</summary>
        public double CostCeiling { get; } = costCeiling;

        /// <summary>Gets the moments of the observed costs so far.</summary>
        public CostMoments Moments
        {
            get
            {
                lock (_lock)
                {
                    return _moments;
                }
            }
        }

        /// <summary>
        /// Predicts the cost of a prompt of <paramref name="inputTokens"/> tokens from <paramref name="line"/>, and
        /// gives the candidate's mean cost over all prompts (the prediction itself before any cost is observed).
        /// </summary>
        public static double ExpectedCost(
            CostLine? line,
            IModelCandidate candidate,
            int inputTokens,
            int assumedOutputTokens,
            out double typical)
        {
            if (line is null)
            {
                // The list price, in doubles: the decimal division of ModelPricing.CostOf cost more than the rest of
                // the decision's arithmetic for a candidate.
                ModelPricing pricing = candidate.Pricing;
                typical = ((inputTokens * (double)pricing.InputPerMillion)
                    + (assumedOutputTokens * (double)pricing.OutputPerMillion)) / 1_000_000;
                return typical;
            }

            typical = line.MeanCost;
            double slope = line.Slope ?? (double)candidate.Pricing.InputPerMillion / 1_000_000;
            return Math.Max(0, line.MeanCost + (slope * (inputTokens - line.MeanTokens)));
        }

        /// <summary>Predicts the cost of a prompt from the published fit; see the static overload.</summary>
        public double ExpectedCost(IModelCandidate candidate, int inputTokens, int assumedOutputTokens, out double typical) =>
            ExpectedCost(Volatile.Read(ref _line), candidate, inputTokens, assumedOutputTokens, out typical);

        public void Add(double cost, int inputTokens, double latencySeconds)
        {
            lock (_lock)
            {
                AddCostLocked(cost, inputTokens);
                AddLatencyLocked(latencySeconds);
            }
        }

        public void AddLatency(double latencySeconds)
        {
            lock (_lock)
            {
                AddLatencyLocked(latencySeconds);
            }
        }

        public void AddCost(double cost, int inputTokens)
        {
            lock (_lock)
            {
                AddCostLocked(cost, inputTokens);
            }
        }

        /// <summary>Adds the costs that <paramref name="other"/> summarizes, such as a history's, in one step.</summary>
        public void AddMoments(CostMoments other)
        {
            if (other.Count == 0)
            {
                return;
            }

            lock (_lock)
            {
                _moments = _moments.Combine(other);
                Volatile.Write(ref _line, _moments.ToLine());
            }
        }

        private void AddLatencyLocked(double latencySeconds)
        {
            double current = _latency;
            Volatile.Write(
                ref _latency,
                current == 0 ? latencySeconds : current + (LatencySmoothing * (latencySeconds - current)));
        }

        private void AddCostLocked(double cost, int inputTokens)
        {
            _moments = _moments.Add(cost, inputTokens);
            Volatile.Write(ref _line, _moments.ToLine());
        }
    }

    /// <summary>
    /// The running moments of a candidate's (prompt size, cost) pairs: their count, means, the sum of squared size
    /// deviations and the sum of size–cost co-deviations, from which the cost line is fitted.
    /// </summary>
    private readonly record struct CostMoments(
        long Count,
        double MeanTokens,
        double MeanCost,
        double TokenSquares,
        double TokenCostProducts)
    {
        /// <summary>The number of observations before the fitted slope replaces the list price per input token.</summary>
        private const int MinimumSamplesForSlope = 16;

        /// <summary>Adds one observation by Welford's updates, which stay exact enough over millions of requests.</summary>
        public CostMoments Add(double cost, int inputTokens)
        {
            long count = Count + 1;
            double tokenDelta = inputTokens - MeanTokens;
            double meanTokens = MeanTokens + (tokenDelta / count);
            double meanCost = MeanCost + ((cost - MeanCost) / count);
            return new CostMoments(
                count,
                meanTokens,
                meanCost,
                TokenSquares + (tokenDelta * (inputTokens - meanTokens)),
                TokenCostProducts + (tokenDelta * (cost - meanCost)));
        }

        /// <summary>
        /// Returns the moments of both sets of observations together (the pairwise update of Chan, Golub and
        /// LeVeque), equal to adding the other's observations one by one up to rounding.
        /// </summary>
        public CostMoments Combine(CostMoments other)
        {
            if (other.Count == 0)
            {
                return this;
            }

            if (Count == 0)
            {
                return other;
            }

            long count = Count + other.Count;
            double share = (double)other.Count / count;
            double tokenDelta = other.MeanTokens - MeanTokens;
            double costDelta = other.MeanCost - MeanCost;
            double weight = (double)Count * share;
            return new CostMoments(
                count,
                MeanTokens + (tokenDelta * share),
                MeanCost + (costDelta * share),
                TokenSquares + other.TokenSquares + (tokenDelta * tokenDelta * weight),
                TokenCostProducts + other.TokenCostProducts + (tokenDelta * costDelta * weight));
        }

        /// <summary>Fits the cost line, or returns <see langword="null"/> before the first observation.</summary>
        public CostLine? ToLine()
        {
            if (Count == 0)
            {
                return null;
            }

            double? slope = Count >= MinimumSamplesForSlope && TokenSquares > 0
                ? Math.Max(0, TokenCostProducts / TokenSquares)
                : null;
            return new CostLine(MeanCost, MeanTokens, slope);
        }
    }

    /// <summary>A published cost fit: the mean cost, the mean prompt size, and the fitted slope when there is one.</summary>
    private sealed record CostLine(double MeanCost, double MeanTokens, double? Slope);

    /// <summary>A value of λ and its text, swapped as one reference so that concurrent decisions see a matching pair.</summary>
    private sealed record LambdaText(double Value, string Text);
}

using System.Globalization;
using System.Numerics.Tensors;
using MetaModel.Candidates;
using MetaModel.Routing;

namespace MetaModel.Policies;

/// <summary>
/// A simple contextual policy: learns each candidate's quality per prompt cluster and trades it against cost.
/// </summary>
/// <remarks>
/// <para>
/// Prompts are grouped by online k-means over their feature vectors. For a prompt in cluster c, candidate k scores
/// q̂(c,k) + β·√(ln(N_c + 1) / (n(c,k) + 1)) − λ·cost(k) / max cost, where q̂ is the mean reported quality shrunk
/// towards <see cref="CostAwareRoutingOptions.PriorQuality"/>, N_c and n(c,k) count observations, and cost(k) is the
/// candidate's mean observed cost per request (its list price for an assumed request size until one is observed).
/// Failed attempts count as quality 0.
/// </para>
/// <para>
/// State is guarded by one lock; decisions and updates each hold it for well under a microsecond at typical sizes.
/// </para>
/// </remarks>
public sealed class CostAwareRoutingPolicy : IRoutingPolicy
{
    /// <summary>The name this policy is recorded and configured under.</summary>
    public const string PolicyName = "cost-aware";

    private const double CostSmoothing = 0.05;

    private readonly CostAwareRoutingOptions _options;
    private readonly Lock _lock = new();
    private readonly List<float[]> _centroids = [];
    private readonly List<int> _centroidCounts = [];
    private readonly Dictionary<(int Cluster, string Candidate), (double Count, double QualitySum)> _quality = [];
    private readonly Dictionary<string, double> _meanCost = new(StringComparer.Ordinal);
    private readonly List<double> _clusterTotals = [];

    /// <summary>Initializes a new instance of the <see cref="CostAwareRoutingPolicy"/> class.</summary>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A setting is out of range; the message lists every problem.</exception>
    public CostAwareRoutingPolicy(CostAwareRoutingOptions? options = null)
    {
        _options = options ?? new CostAwareRoutingOptions();
        IReadOnlyList<string> problems = _options.Validate();
        if (problems.Count > 0)
        {
            throw new PolicySettingsException(PolicyName, problems, nameof(options));
        }
    }

    /// <inheritdoc/>
    public string Name => PolicyName;

    /// <inheritdoc/>
    public string Version => "1";

    /// <inheritdoc/>
    public RoutingDecision Decide(RoutingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        var eligible = request.EligibleCandidates;
        var ranked = new CandidateScore[eligible.Count];
        Span<double> costs = eligible.Count <= 64 ? stackalloc double[eligible.Count] : new double[eligible.Count];
        string? greedyBest = null;

        lock (_lock)
        {
            int cluster = NearestCluster(request.Features.Span);
            double clusterTotal = cluster >= 0 ? _clusterTotals[cluster] : 0;
            double maxCost = 0;
            for (int i = 0; i < eligible.Count; i++)
            {
                costs[i] = ExpectedCost(eligible[i], request.EstimatedInputTokens);
                maxCost = Math.Max(maxCost, costs[i]);
            }

            double greedyScore = double.NegativeInfinity;
            for (int i = 0; i < eligible.Count; i++)
            {
                (double count, double sum) = cluster >= 0
                    ? _quality.GetValueOrDefault((cluster, eligible[i].Id))
                    : (0, 0);
                double mean = (sum + (_options.PriorQuality * _options.PriorStrength)) / (count + _options.PriorStrength);
                double costPenalty = maxCost > 0 ? _options.CostWeight * costs[i] / maxCost : 0;
                double bonus = _options.Exploration * Math.Sqrt(Math.Log(clusterTotal + 1) / (count + 1));
                ranked[i] = new CandidateScore(eligible[i], mean - costPenalty + bonus);
                if (mean - costPenalty > greedyScore)
                {
                    greedyScore = mean - costPenalty;
                    greedyBest = eligible[i].Id;
                }
            }
        }

        ScoreOrdering.SortDescending(ranked);
        bool explored = !string.Equals(ranked[0].Candidate.Id, greedyBest, StringComparison.Ordinal);
        string reason = explored
            ? $"exploring {ranked[0].Candidate.Id}: its optimism bonus outweighs {greedyBest}'s expected value"
            : $"{ranked[0].Candidate.Id} has the best expected quality net of cost (λ={_options.CostWeight})";
        return new RoutingDecision(ranked, reason, explored);
    }

    /// <inheritdoc/>
    public void Observe(AttemptObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);

        lock (_lock)
        {
            if (observation.Succeeded)
            {
                UpdateCost(observation.CandidateId, (double)observation.CostUsd);
            }
            else
            {
                Learn(observation.Features.Span, observation.CandidateId, quality: 0);
            }
        }
    }

    /// <inheritdoc/>
    public void ObserveFeedback(QualityFeedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        if (!double.IsFinite(feedback.Quality))
        {
            throw new ArgumentException($"Quality must be finite (was {feedback.Quality}).", nameof(feedback));
        }

        lock (_lock)
        {
            Learn(feedback.Features.Span, feedback.CandidateId, Math.Clamp(feedback.Quality, 0, 1));
        }
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> DescribeParameters() => new Dictionary<string, string>
    {
        ["costWeight"] = _options.CostWeight.ToString(CultureInfo.InvariantCulture),
        ["exploration"] = _options.Exploration.ToString(CultureInfo.InvariantCulture),
        ["clusters"] = _options.Clusters.ToString(CultureInfo.InvariantCulture),
        ["priorQuality"] = _options.PriorQuality.ToString(CultureInfo.InvariantCulture),
        ["priorStrength"] = _options.PriorStrength.ToString(CultureInfo.InvariantCulture),
        ["assumedOutputTokens"] = _options.AssumedOutputTokens.ToString(CultureInfo.InvariantCulture),
    };

    private double ExpectedCost(IModelCandidate candidate, int inputTokens) =>
        _meanCost.TryGetValue(candidate.Id, out double observed)
            ? observed
            : (double)candidate.Pricing.CostOf(inputTokens, _options.AssumedOutputTokens);

    private void UpdateCost(string candidateId, double cost)
    {
        _meanCost[candidateId] = _meanCost.TryGetValue(candidateId, out double mean)
            ? mean + (CostSmoothing * (cost - mean))
            : cost;
    }

    private void Learn(ReadOnlySpan<float> features, string candidateId, double quality)
    {
        int cluster = AssignCluster(features);
        (double count, double sum) = _quality.GetValueOrDefault((cluster, candidateId));
        _quality[(cluster, candidateId)] = (count + 1, sum + quality);
        _clusterTotals[cluster]++;
    }

    private int NearestCluster(ReadOnlySpan<float> features)
    {
        int best = -1;
        float bestDistance = float.PositiveInfinity;
        for (int c = 0; c < _centroids.Count; c++)
        {
            if (_centroids[c].Length != features.Length)
            {
                continue;
            }

            float distance = Distance(features, _centroids[c]);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = c;
            }
        }

        return best;
    }

    // An empty feature vector (no featurizer) puts every prompt in one cluster.
    private static float Distance(ReadOnlySpan<float> x, ReadOnlySpan<float> y) =>
        x.IsEmpty ? 0 : TensorPrimitives.Distance(x, y);

    private int AssignCluster(ReadOnlySpan<float> features)
    {
        int nearest = NearestCluster(features);
        bool distinct = nearest < 0 || Distance(features, _centroids[nearest]) > 1e-6f;
        if (_centroids.Count < _options.Clusters && distinct)
        {
            _centroids.Add(features.ToArray());
            _centroidCounts.Add(1);
            _clusterTotals.Add(0);
            return _centroids.Count - 1;
        }

        // Move the centroid a step towards the prompt, with a step that shrinks as the cluster grows.
        int count = ++_centroidCounts[nearest];
        float[] centroid = _centroids[nearest];
        float step = 1f / count;
        for (int i = 0; i < centroid.Length; i++)
        {
            centroid[i] += step * (features[i] - centroid[i]);
        }

        return nearest;
    }
}

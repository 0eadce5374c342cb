using System.Globalization;
using MetaModel.Routing;

namespace MetaModel.Policies;

/// <summary>Splits traffic between candidates by fixed weights, as for an A/B test.</summary>
/// <remarks>
/// <para>
/// Each request draws its first candidate among the eligible ones with probability proportional to its weight; the
/// other eligible candidates follow as fallbacks in descending weight. Candidates without a weight (or with weight
/// zero) are used only as fallbacks. When no eligible candidate has a weight, registration order is used.
/// </para>
/// <para>
/// The random source is injected so that a seeded run splits the same way every time. Access to it is serialized,
/// which costs a short lock per decision.
/// </para>
/// </remarks>
public sealed class WeightedRoutingPolicy : IRoutingPolicy
{
    /// <summary>The name this policy is recorded and configured under.</summary>
    public const string PolicyName = "weighted";

    private readonly Dictionary<string, double> _weights;
    private readonly Random _random;
    private readonly Lock _randomLock = new();

    /// <summary>Initializes a new instance of the <see cref="WeightedRoutingPolicy"/> class.</summary>
    /// <param name="weights">The weight of each candidate id; finite and zero or more.</param>
    /// <param name="random">The random source; a new unseeded one when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A weight is negative, NaN or infinite.</exception>
    public WeightedRoutingPolicy(IReadOnlyDictionary<string, double> weights, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        foreach (KeyValuePair<string, double> pair in weights)
        {
            if (!double.IsFinite(pair.Value) || pair.Value < 0)
            {
                throw new ArgumentException(
                    $"The weight of candidate '{pair.Key}' is {pair.Value}; weights must be finite and zero or more.",
                    nameof(weights));
            }
        }

        _weights = new Dictionary<string, double>(weights, StringComparer.Ordinal);
        _random = random ?? new Random();
    }

    /// <inheritdoc/>
    public string Name => PolicyName;

    /// <summary>Gets the weight of each candidate id.</summary>
    public IReadOnlyDictionary<string, double> Weights => _weights;

    /// <inheritdoc/>
    public string Version => "1";

    /// <inheritdoc/>
    /// <value>Always <see langword="false"/>: the ranking does not depend on the prompt.</value>
    public bool UsesFeatures => false;

    /// <inheritdoc/>
    public RoutingDecision Decide(RoutingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        var eligible = request.EligibleCandidates;
        var ranked = new CandidateScore[eligible.Count];
        double total = 0;
        for (int i = 0; i < eligible.Count; i++)
        {
            double weight = _weights.GetValueOrDefault(eligible[i].Id);
            ranked[i] = new CandidateScore(eligible[i], weight);
            total += weight;
        }

        if (total <= 0)
        {
            return new OrderedRoutingPolicy().Decide(request);
        }

        double draw;
        lock (_randomLock)
        {
            draw = _random.NextDouble() * total;
        }

        int chosen = 0;
        for (double cumulative = 0; chosen < ranked.Length; chosen++)
        {
            cumulative += ranked[chosen].Score;
            if (draw < cumulative && ranked[chosen].Score > 0)
            {
                break;
            }
        }

        chosen = Math.Min(chosen, ranked.Length - 1);
        CandidateScore first = ranked[chosen];
        ranked[chosen] = ranked[0];
        ranked[0] = first;

        // The fallbacks keep a stable order by descending weight, so a failover is predictable.
        ScoreOrdering.SortDescending(ranked.AsSpan(1));
        string share = (first.Score / total).ToString("P1", CultureInfo.InvariantCulture);
        return new RoutingDecision(ranked, $"weighted draw: {first.Candidate.Id} has {share} of the eligible weight");
    }

    /// <inheritdoc/>
    public void Observe(AttemptObservation observation)
    {
    }

    /// <inheritdoc/>
    public void ObserveFeedback(QualityFeedback feedback)
    {
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> DescribeParameters() =>
        _weights.ToDictionary(
            pair => "weight:" + pair.Key,
            pair => pair.Value.ToString(CultureInfo.InvariantCulture),
            StringComparer.Ordinal);
}

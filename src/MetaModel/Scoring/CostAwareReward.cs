namespace MetaModel.Scoring;

/// <summary>
/// Turns an outcome into a bandit reward, reward = quality − λ·cost − μ·latency, optionally adapting λ online so
/// that the mean cost per request tracks a target (budget pacing).
/// </summary>
/// <remarks>
/// <para>
/// Pacing is a projected dual (sub)gradient step on the budget constraint E[cost] ≤ target: every observed cost c
/// updates λ ← max(0, λ + η·(c − target)/target²). Spending above target raises the price of cost, spending
/// below lowers it down to zero. While λ stays positive the steps telescope, so after n requests the mean
/// relative overspend, the average of (c − target)/target, equals (λₙ − λ₀)·target/(η·n): it vanishes as 1/n,
/// and the mean cost converges to the target whenever the target is reachable.
/// </para>
/// <para>
/// Thread safety: all members may be called concurrently; λ is updated with a lock-free compare-and-swap.
/// </para>
/// </remarks>
public sealed class CostAwareReward
{
    private readonly double _target;
    private readonly double _step;
    private double _costWeight;

    /// <summary>Initializes a new instance of the <see cref="CostAwareReward"/> class.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is negative, not finite, or (target, step) not
    /// positive.</exception>
    public CostAwareReward(CostAwareRewardOptions? options = null)
    {
        options ??= new CostAwareRewardOptions();
        RequireNonNegative(options.CostWeight, "options.CostWeight");
        RequireNonNegative(options.LatencyWeight, "options.LatencyWeight");
        RequirePositive(options.PacingStepSize, "options.PacingStepSize");
        if (options.TargetCostPerRequest is { } target)
        {
            RequirePositive(target, "options.TargetCostPerRequest");
        }

        _costWeight = options.CostWeight;
        LatencyWeight = options.LatencyWeight;
        TargetCostPerRequest = options.TargetCostPerRequest;
        _target = options.TargetCostPerRequest ?? 0;
        _step = options.PacingStepSize;
    }

    /// <summary>Gets the current cost weight λ.</summary>
    public double CostWeight => Volatile.Read(ref _costWeight);

    /// <summary>Gets the latency weight μ.</summary>
    public double LatencyWeight { get; }

    /// <summary>Gets the pacing target, or <see langword="null"/> when λ is fixed.</summary>
    public double? TargetCostPerRequest { get; }

    /// <summary>Computes quality − λ·cost − μ·latency with the current λ; does not change λ.</summary>
    /// <param name="quality">The quality score of the answer, a finite number (typically in [0, 1]).</param>
    /// <param name="cost">The cost of the request, finite and non-negative.</param>
    /// <param name="latencySeconds">The latency in seconds, finite and non-negative.</param>
    /// <exception cref="ArgumentException">An argument is NaN, infinite or negative where not allowed.</exception>
    public double Compute(
        double quality,
        double cost,
        double latencySeconds)
    {
        if (!double.IsFinite(quality))
        {
            throw new ArgumentException($"The quality must be finite but was {quality}.", nameof(quality));
        }

        RequireNonNegative(cost, nameof(cost));
        RequireNonNegative(latencySeconds, nameof(latencySeconds));
        return quality - (CostWeight * cost) - (LatencyWeight * latencySeconds);
    }

    /// <summary>Computes quality − λ·cost − μ·latency with the current λ; does not change λ.</summary>
    public double Compute(
        double quality,
        double cost,
        TimeSpan latency) =>
        Compute(quality, cost, latency.TotalSeconds);

    /// <summary>Feeds one request's cost to the pacer: λ ← max(0, λ + η·(cost − target)/target²).</summary>
    /// <remarks>Does nothing when <see cref="TargetCostPerRequest"/> is <see langword="null"/>.</remarks>
    /// <exception cref="ArgumentException">The cost is NaN, infinite or negative.</exception>
    public void ObserveCost(double cost)
    {
        RequireNonNegative(cost, nameof(cost));
        if (TargetCostPerRequest is null)
        {
            return;
        }

        double delta = _step * (cost - _target) / (_target * _target);
        double current = Volatile.Read(ref _costWeight);
        while (true)
        {
            double next = Math.Max(0, current + delta);
            double seen = Interlocked.CompareExchange(ref _costWeight, next, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    private static void RequireNonNegative(double value, string parameterName)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, "The value must be finite and non-negative.");
        }
    }

    private static void RequirePositive(double value, string parameterName)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, "The value must be finite and positive.");
        }
    }
}

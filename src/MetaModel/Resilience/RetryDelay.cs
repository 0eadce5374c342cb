namespace MetaModel.Resilience;

/// <summary>Computes retry delays: exponential backoff with jitter, never shorter than what the provider asked for.</summary>
internal sealed class RetryDelay
{
    private readonly Lock _lock = new();
    private readonly Random _random;
    private readonly TimeSpan _baseDelay;

    public RetryDelay(TimeSpan baseDelay, Random? random)
    {
        _baseDelay = baseDelay;
        _random = random ?? new Random();
    }

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based).</summary>
    /// <returns>
    /// base·2^(retry−1)·u with u uniform in [0.5, 1], or <paramref name="retryAfter"/> when that is longer.
    /// </returns>
    public TimeSpan For(int retry, TimeSpan? retryAfter)
    {
        double factor;
        lock (_lock)
        {
            factor = 0.5 + (_random.NextDouble() * 0.5);
        }

        double ticks = _baseDelay.Ticks * Math.Pow(2, Math.Min(retry - 1, 20)) * factor;
        var backoff = TimeSpan.FromTicks((long)Math.Min(ticks, TimeSpan.MaxValue.Ticks / 2));
        return retryAfter is { } asked && asked > backoff ? asked : backoff;
    }
}

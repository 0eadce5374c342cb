using System.Globalization;
using System.Threading.RateLimiting;

namespace MetaModel.Resilience;

/// <summary>
/// A candidate's requests-per-minute and tokens-per-minute allowances, counted in fixed one-minute windows on the
/// router's clock.
/// </summary>
/// <remarks>
/// Each window's permits are held by <see cref="FixedWindowRateLimiter"/>s without automatic replenishment; a new
/// window replaces them, so the windows follow the injected <see cref="TimeProvider"/> rather than a system timer.
/// Checking and taking both allowances happens under one lock, so a request never takes one and misses the other.
/// </remarks>
internal sealed class CandidateCapacity : IDisposable
{
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly int? _requestsPerMinute;
    private readonly int? _tokensPerMinute;
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private FixedWindowRateLimiter? _requests;
    private FixedWindowRateLimiter? _tokens;

    public CandidateCapacity(int? requestsPerMinute, int? tokensPerMinute)
    {
        _requestsPerMinute = requestsPerMinute;
        _tokensPerMinute = tokensPerMinute;
    }

    public bool IsLimited => _requestsPerMinute is not null || _tokensPerMinute is not null;

    /// <summary>Tells whether a request of <paramref name="tokens"/> estimated tokens fits what is left now.</summary>
    public Availability Check(long tokens, DateTimeOffset now)
    {
        if (!IsLimited)
        {
            return Availability.Available;
        }

        lock (_lock)
        {
            Roll(now);
            return CheckLocked(tokens);
        }
    }

    /// <summary>Takes one request and <paramref name="tokens"/> tokens, or nothing when either does not fit.</summary>
    public Availability TryAcquire(long tokens, DateTimeOffset now)
    {
        if (!IsLimited)
        {
            return Availability.Available;
        }

        lock (_lock)
        {
            Roll(now);
            Availability availability = CheckLocked(tokens);
            if (!availability.IsAvailable)
            {
                return availability;
            }

            // Fixed-window permits are not returned when a lease is disposed: taking them is final for the window.
            _requests?.AttemptAcquire(1).Dispose();
            if (_tokens is not null && tokens > 0)
            {
                _tokens.AttemptAcquire((int)tokens).Dispose();
            }

            return availability;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _requests?.Dispose();
            _tokens?.Dispose();
        }
    }

    private Availability CheckLocked(long tokens)
    {
        DateTimeOffset windowEnd = _windowStart + s_window;
        if (_tokensPerMinute is { } tokenLimit && tokens > tokenLimit)
        {
            return Availability.Until(
                null,
                $"the request's estimated {tokens} tokens exceed its limit of {tokenLimit} tokens per minute");
        }

        if (_requests is not null && _requests.GetStatistics()!.CurrentAvailablePermits < 1)
        {
            return Availability.Until(
                windowEnd,
                $"its {_requestsPerMinute} requests per minute are used up until {Format(windowEnd)}");
        }

        if (_tokens is not null && _tokens.GetStatistics()!.CurrentAvailablePermits < tokens)
        {
            return Availability.Until(
                windowEnd,
                $"the request's estimated {tokens} tokens exceed the {_tokens.GetStatistics()!.CurrentAvailablePermits} " +
                $"tokens left of its {_tokensPerMinute} per minute until {Format(windowEnd)}");
        }

        return Availability.Available;
    }

    private void Roll(DateTimeOffset now)
    {
        if (_windowStart != DateTimeOffset.MinValue && now < _windowStart + s_window)
        {
            return;
        }

        _requests?.Dispose();
        _tokens?.Dispose();
        _windowStart = now;
        _requests = _requestsPerMinute is { } requests ? Create(requests) : null;
        _tokens = _tokensPerMinute is { } tokens ? Create(tokens) : null;
    }

    private static FixedWindowRateLimiter Create(int permits) => new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = permits,
        Window = s_window,
        QueueLimit = 0,
        AutoReplenishment = false,
    });

    private static string Format(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);
}

namespace MetaModel.Resilience;

/// <summary>How a <see cref="MetaModelChatClient"/> retries, fails over, cools candidates down and times attempts out.</summary>
/// <remarks>
/// The settings are read when the router is built; changing them afterwards has no effect on that router.
/// </remarks>
public sealed class FailoverOptions
{
    /// <summary>Gets or sets how many times a retryable failure is retried on the same candidate.</summary>
    /// <value>Zero or more; the default is 0, so each candidate is tried at most once per request.</value>
    public int MaxRetriesPerCandidate { get; set; }

    /// <summary>Gets or sets the first retry delay; each further retry doubles it, with jitter.</summary>
    /// <value>The default is 200 ms. The delay of retry n is d·2ⁿ⁻¹ scaled by a random factor in [0.5, 1].</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the longest wait before a retry, <c>Retry-After</c> included.</summary>
    /// <value>
    /// The default is 5 s; at most <see cref="MaxTimerDelay"/>. A provider asking for a longer wait is not retried;
    /// the request fails over instead.
    /// </value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how many failures in a row open a candidate's circuit.</summary>
    /// <value>A positive number; the default is 3. Only faults that count against health are counted.</value>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>Gets or sets how long an open circuit keeps a candidate out of rotation before one probe request.</summary>
    /// <value>The default is 30 s.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the cooldown after a 429 that carries no <c>Retry-After</c>.</summary>
    /// <value>The default is 60 s, one window of a per-minute limit.</value>
    public TimeSpan RateLimitCooldown { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the longest a probe may stay unanswered before another request may probe.</summary>
    /// <value>The default is 2 minutes.</value>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the longest an attempt may take, its whole stream included.</summary>
    /// <value>
    /// <see langword="null"/> for no limit; the default is <see langword="null"/>. At most <see cref="MaxTimerDelay"/>.
    /// </value>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>Gets or sets the longest a stream may take to deliver its first output.</summary>
    /// <value>
    /// <see langword="null"/> for no limit; the default is <see langword="null"/>. At most <see cref="MaxTimerDelay"/>.
    /// Streaming only.
    /// </value>
    public TimeSpan? FirstUpdateTimeout { get; set; }

    /// <summary>Gets or sets how long a request may wait for a candidate to recover when none is available.</summary>
    /// <value>
    /// The default is zero: the request fails at once with a <see cref="CandidatesUnavailableException"/> saying
    /// when the earliest candidate recovers. A positive bound, at most <see cref="MaxTimerDelay"/>, waits for that
    /// moment when it is within the bound.
    /// </value>
    public TimeSpan MaxWaitForAvailability { get; set; }

    /// <summary>Gets or sets what a streaming caller receives when the answer breaks off after output reached it.</summary>
    /// <value>The default is <see cref="IncompleteStreamHandling.Throw"/>.</value>
    public IncompleteStreamHandling IncompleteStreams { get; set; } = IncompleteStreamHandling.Throw;

    /// <summary>Gets or sets a function that may change how a failed attempt is classified.</summary>
    /// <value>
    /// Receives the error and the default classification (<see cref="FaultClassifier.Classify"/>) and returns the
    /// one to use; <see langword="null"/> keeps the default. For example, to fail over on 401:
    /// <c>(error, c) =&gt; c.Kind == FaultKind.Unauthorized ? c with { Action = FaultAction.FailOver } : c</c>.
    /// </value>
    /// <remarks>Called on the request path, possibly concurrently; it must be fast, thread-safe and not throw.</remarks>
    public Func<Exception, FaultClassification, FaultClassification>? Classifier { get; set; }

    /// <summary>Gets the limits and retry settings of individual candidates, by candidate id.</summary>
    public IDictionary<string, CandidateLimits> Candidates { get; } =
        new Dictionary<string, CandidateLimits>(StringComparer.Ordinal);

    /// <summary>Gets or sets the source of retry jitter.</summary>
    /// <value>A shared random source when <see langword="null"/>; set a seeded one for repeatable tests.</value>
    /// <remarks>Used under a lock, so a plain <see cref="Random"/> is safe.</remarks>
    public Random? Random { get; set; }

    /// <summary>
    /// The longest delay a timer can wait (2³² − 2 ms, about 49.7 days): the bound of the settings that the router
    /// waits for or times with a timer.
    /// </summary>
    public static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Checks the settings and lists every problem.</summary>
    /// <returns>The problems; empty when the settings are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxRetriesPerCandidate < 0)
        {
            problems.Add($"Failover.MaxRetriesPerCandidate must be zero or more (was {MaxRetriesPerCandidate}).");
        }

        if (FailureThreshold < 1)
        {
            problems.Add($"Failover.FailureThreshold must be at least 1 (was {FailureThreshold}).");
        }

        CheckNotNegative(problems, nameof(RetryBaseDelay), RetryBaseDelay);
        CheckNotNegative(problems, nameof(MaxRetryDelay), MaxRetryDelay);
        CheckNotNegative(problems, nameof(BreakDuration), BreakDuration);
        CheckNotNegative(problems, nameof(RateLimitCooldown), RateLimitCooldown);
        CheckNotNegative(problems, nameof(MaxWaitForAvailability), MaxWaitForAvailability);
        CheckPositive(problems, nameof(ProbeTimeout), ProbeTimeout);

        // Retries and availability waits are waited for, and attempts are timed, with timers.
        CheckTimerDelay(problems, nameof(MaxRetryDelay), MaxRetryDelay);
        CheckTimerDelay(problems, nameof(MaxWaitForAvailability), MaxWaitForAvailability);
        if (AttemptTimeout is { } attempt)
        {
            CheckPositive(problems, nameof(AttemptTimeout), attempt);
            CheckTimerDelay(problems, nameof(AttemptTimeout), attempt);
        }

        if (FirstUpdateTimeout is { } first)
        {
            CheckPositive(problems, nameof(FirstUpdateTimeout), first);
            CheckTimerDelay(problems, nameof(FirstUpdateTimeout), first);
        }

        foreach (KeyValuePair<string, CandidateLimits> pair in Candidates)
        {
            CandidateLimits limits = pair.Value;
            if (limits.RequestsPerMinute is <= 0)
            {
                problems.Add($"Candidate '{pair.Key}': RequestsPerMinute must be positive (was {limits.RequestsPerMinute}).");
            }

            if (limits.TokensPerMinute is <= 0)
            {
                problems.Add($"Candidate '{pair.Key}': TokensPerMinute must be positive (was {limits.TokensPerMinute}).");
            }

            if (limits.MaxRetries is < 0)
            {
                problems.Add($"Candidate '{pair.Key}': MaxRetries must be zero or more (was {limits.MaxRetries}).");
            }
        }

        return problems;
    }

    private static void CheckNotNegative(List<string> problems, string name, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            problems.Add($"Failover.{name} must not be negative (was {value}).");
        }
    }

    private static void CheckTimerDelay(List<string> problems, string name, TimeSpan value)
    {
        if (value > MaxTimerDelay)
        {
            problems.Add($"Failover.{name} must be at most {MaxTimerDelay}, the longest a timer can wait (was {value}).");
        }
    }

    private static void CheckPositive(List<string> problems, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"Failover.{name} must be positive (was {value}).");
        }
    }
}

namespace MetaModel.Resilience;

/// <summary>
/// The cancellation of one attempt: the caller's token plus the attempt's own deadlines, for the whole attempt and
/// for its first output, on the router's clock.
/// </summary>
/// <remarks>Without deadlines it links nothing and allocates no timer: the caller's token is used as is.</remarks>
internal sealed class AttemptTimer : IDisposable
{
    private readonly CancellationTokenSource? _source;
    private readonly CancellationToken _token;
    private readonly ITimer? _attemptTimer;
    private ITimer? _firstUpdateTimer;
    private int _expired = -1;

    public AttemptTimer(
        TimeSpan? attemptTimeout,
        TimeSpan? firstUpdateTimeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (attemptTimeout is null && firstUpdateTimeout is null)
        {
            _token = cancellationToken;
            return;
        }

        _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _token = _source.Token;
        if (attemptTimeout is { } attempt)
        {
            _attemptTimer = timeProvider.CreateTimer(Expire, AttemptTimeoutPhase.Attempt, attempt, Timeout.InfiniteTimeSpan);
        }

        if (firstUpdateTimeout is { } first)
        {
            _firstUpdateTimer =
                timeProvider.CreateTimer(Expire, AttemptTimeoutPhase.FirstUpdate, first, Timeout.InfiniteTimeSpan);
        }
    }

    public CancellationToken Token => _token;

    /// <summary>Gets the timeout that expired, if one did.</summary>
    public AttemptTimeoutPhase? Expired => Volatile.Read(ref _expired) is >= 0 and var phase ? (AttemptTimeoutPhase)phase : null;

    /// <summary>Stops the first-output deadline: output has arrived.</summary>
    public void OutputArrived()
    {
        _firstUpdateTimer?.Dispose();
        _firstUpdateTimer = null;
    }

    public void Dispose()
    {
        _attemptTimer?.Dispose();
        _firstUpdateTimer?.Dispose();
        _source?.Dispose();
    }

    private void Expire(object? state)
    {
        if (Interlocked.CompareExchange(ref _expired, (int)(AttemptTimeoutPhase)state!, -1) == -1)
        {
            try
            {
                _source!.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The attempt ended as the deadline passed.
            }
        }
    }
}

using System.Globalization;

namespace MetaModel.Resilience;

/// <summary>
/// One candidate's circuit: closed while healthy, open (cooling down) after a run of failures or a rate limit, then
/// half-open with exactly one probe request, which closes it on success and reopens it on failure.
/// </summary>
/// <remarks>
/// <para>
/// Every method is thread-safe; state changes are reported through the callback after the lock is released.
/// A cooldown deadline only ever moves later: of several concurrent failures, the latest deadline wins.
/// </para>
/// <para>
/// A cooldown that only the provider asked for (every fault that opened or extended it carried a
/// <c>Retry-After</c>) ends without a probe: the provider said when to come back. A cooldown the router chose itself
/// (a run of failures, or a 429 without <c>Retry-After</c>) ends with one probe.
/// </para>
/// </remarks>
internal sealed class CandidateHealth
{
    private readonly Lock _lock = new();
    private readonly string _candidateId;
    private readonly FailoverOptions _options;
    private readonly Action<CandidateHealthChangedEventArgs> _changed;
    private bool _open;
    private bool _probeRequired;
    private DateTimeOffset _openUntil;
    private bool _probeInFlight;
    private DateTimeOffset _probeExpires;
    private int _consecutiveFailures;
    private FaultKind? _lastFault;

    public CandidateHealth(string candidateId, FailoverOptions options, Action<CandidateHealthChangedEventArgs> changed)
    {
        _candidateId = candidateId;
        _options = options;
        _changed = changed;
    }

    /// <summary>Tells whether a request may be sent now, without taking the probe.</summary>
    public Availability Check(DateTimeOffset now)
    {
        // A closed breaker, the common case, needs no lock: a request that reads it a moment before another thread
        // opens it is one that arrived a moment earlier.
        if (!Volatile.Read(ref _open))
        {
            return Availability.Available;
        }

        lock (_lock)
        {
            if (!_open)
            {
                return Availability.Available;
            }

            if (now < _openUntil)
            {
                return Availability.Until(_openUntil, $"cooling down after {_lastFault} until {Format(_openUntil)}");
            }

            return _probeRequired && _probeInFlight && now < _probeExpires
                ? Availability.Until(_probeExpires, "a probe request is in flight")
                : Availability.Available;
        }
    }

    /// <summary>Admits one request: always while closed, and only the probe once the cooldown has passed.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="isProbe">Whether the admitted request is the probe.</param>
    /// <returns><see langword="true"/> when the request may be sent.</returns>
    public bool TryEnter(DateTimeOffset now, out bool isProbe)
    {
        isProbe = false;
        if (!Volatile.Read(ref _open))
        {
            return true;
        }

        CandidateHealthChangedEventArgs? change;
        lock (_lock)
        {
            if (!_open)
            {
                return true;
            }

            if (now < _openUntil || (_probeRequired && _probeInFlight && now < _probeExpires))
            {
                return false;
            }

            if (!_probeRequired)
            {
                _open = false;
                _consecutiveFailures = 0;
                change = Change(
                    CandidateHealthState.CoolingDown,
                    CandidateHealthState.Healthy,
                    null,
                    "the cooldown the provider asked for ended",
                    now);
            }
            else
            {
                change = TakeProbe(now);
                isProbe = true;
            }
        }

        _changed(change);
        return true;
    }

    /// <summary>Records an attempt that reached the candidate and ended without a fault that counts against it.</summary>
    public void ReportSuccess(bool wasProbe, DateTimeOffset now)
    {
        CandidateHealthChangedEventArgs? change = null;
        lock (_lock)
        {
            if (!_open || (!_probeRequired && now >= _openUntil))
            {
                _open = false;
                _consecutiveFailures = 0;
                return;
            }

            // Only the probe closes an open circuit: a late success of a request admitted before the circuit opened
            // says nothing about the candidate now.
            if (wasProbe && _probeInFlight)
            {
                CandidateHealthState previous = StateAt(now);
                _open = false;
                _probeInFlight = false;
                _consecutiveFailures = 0;
                change = Change(previous, CandidateHealthState.Healthy, null, "the probe succeeded", now);
            }
        }

        if (change is not null)
        {
            _changed(change);
        }
    }

    /// <summary>Records a failed attempt.</summary>
    public void ReportFailure(FaultClassification fault, bool wasProbe, DateTimeOffset now)
    {
        if (!fault.AffectsHealth)
        {
            // The candidate answered; the request itself was at fault.
            ReportSuccess(wasProbe, now);
            return;
        }

        CandidateHealthChangedEventArgs? change = null;
        lock (_lock)
        {
            CandidateHealthState previous = StateAt(now);
            _lastFault = fault.Kind;
            _consecutiveFailures++;
            DateTimeOffset? requested = fault.RetryAfter is { } wait ? After(now, wait)
                : fault.Kind == FaultKind.RateLimited ? After(now, _options.RateLimitCooldown)
                : null;

            bool explicitCooldown = fault.RetryAfter is not null;
            if (wasProbe && _probeInFlight)
            {
                _probeInFlight = false;
                Open(requested ?? After(now, _options.BreakDuration), !explicitCooldown);
                change =
                    Change(previous, CandidateHealthState.CoolingDown, _openUntil, $"the probe failed with {fault.Kind}", now);
            }
            else if (_open)
            {
                // A request admitted before the circuit opened failed late: it may only push the deadline later.
                if (requested is { } deadline && deadline > _openUntil)
                {
                    _openUntil = deadline;
                    _probeRequired |= !explicitCooldown;
                    change = Change(previous, StateAt(now), _openUntil, $"{fault.Kind} asked for a later deadline", now);
                }
            }
            else if (requested is { } deadline)
            {
                Open(deadline, !explicitCooldown);
                change = Change(previous, StateAt(now), _openUntil, $"{fault.Kind} with a cooldown", now);
            }
            else if (_consecutiveFailures >= _options.FailureThreshold)
            {
                Open(After(now, _options.BreakDuration), probeRequired: true);
                change = Change(
                    previous,
                    StateAt(now),
                    _openUntil,
                    $"{_consecutiveFailures} failures in a row, the last {fault.Kind}",
                    now);
            }
        }

        if (change is not null)
        {
            _changed(change);
        }
    }

    /// <summary>Gives the probe back without a verdict, as when the caller cancelled or stopped reading.</summary>
    public void ReleaseProbe(DateTimeOffset now)
    {
        CandidateHealthChangedEventArgs? change = null;
        lock (_lock)
        {
            if (_open && _probeInFlight)
            {
                _probeInFlight = false;
                change = Change(CandidateHealthState.Probing, StateAt(now), null, "the probe ended without a verdict", now);
            }
        }

        if (change is not null)
        {
            _changed(change);
        }
    }

    public CandidateHealthSnapshot Snapshot(DateTimeOffset now)
    {
        lock (_lock)
        {
            CandidateHealthState state = StateAt(now);
            return new CandidateHealthSnapshot(
                _candidateId,
                state,
                state == CandidateHealthState.Healthy ? null : _openUntil,
                _consecutiveFailures,
                _lastFault);
        }
    }

    private CandidateHealthChangedEventArgs TakeProbe(DateTimeOffset now)
    {
        CandidateHealthState previous = StateAt(now);
        _probeInFlight = true;
        _probeExpires = After(now, _options.ProbeTimeout);
        return Change(previous, CandidateHealthState.Probing, null, "the cooldown ended; one probe request is sent", now);
    }

    /// <summary>
    /// <paramref name="now"/> plus <paramref name="delay"/>, saturating at <see cref="DateTimeOffset.MaxValue"/>: a
    /// provider's <c>Retry-After</c> or a setting may reach past the calendar, which then means "not again".
    /// </summary>
    internal static DateTimeOffset After(DateTimeOffset now, TimeSpan delay) =>
        delay <= TimeSpan.Zero ? now
        : delay >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue
        : now + delay;

    private static string Format(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    private void Open(DateTimeOffset deadline, bool probeRequired)
    {
        // The latest deadline wins: a cooldown is never shortened by a later, shorter one.
        _probeRequired = (_open && _probeRequired) || probeRequired;
        _openUntil = _open && _openUntil > deadline ? _openUntil : deadline;
        _open = true;
    }

    private CandidateHealthState StateAt(DateTimeOffset now) =>
        !_open ? CandidateHealthState.Healthy
        : now < _openUntil ? CandidateHealthState.CoolingDown
        : !_probeRequired ? CandidateHealthState.Healthy
        : _probeInFlight && now < _probeExpires ? CandidateHealthState.Probing
        : CandidateHealthState.AwaitingProbe;

    private CandidateHealthChangedEventArgs Change(
        CandidateHealthState previous,
        CandidateHealthState current,
        DateTimeOffset? availableAt,
        string reason,
        DateTimeOffset now) =>
        new(_candidateId, previous, current, availableAt, reason, now);
}

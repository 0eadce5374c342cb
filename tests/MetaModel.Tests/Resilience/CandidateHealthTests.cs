using MetaModel.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace MetaModel.Tests.Resilience;

public sealed class CandidateHealthTests
{
    private static readonly FaultClassification s_serverError = new(FaultKind.ServerError, FaultAction.Retry, true, 500);
    private static readonly FaultClassification s_rateLimited = new(FaultKind.RateLimited, FaultAction.Retry, true, 429);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<CandidateHealthChangedEventArgs> _changes = [];
    private readonly FailoverOptions _options = new() { FailureThreshold = 3, BreakDuration = TimeSpan.FromSeconds(20) };

    [Fact]
    public void ReportFailure_BelowThreshold_StaysHealthy_AtThreshold_Opens()
    {
        CandidateHealth health = Create();

        health.ReportFailure(s_serverError, wasProbe: false, _time.GetUtcNow());
        health.ReportFailure(s_serverError, wasProbe: false, _time.GetUtcNow());
        health.Check(_time.GetUtcNow()).IsAvailable.Should().BeTrue();
        health.ReportFailure(s_serverError, wasProbe: false, _time.GetUtcNow());

        Availability availability = health.Check(_time.GetUtcNow());
        availability.IsAvailable.Should().BeFalse();
        availability.AvailableAt.Should().Be(_time.GetUtcNow() + TimeSpan.FromSeconds(20));
        _changes.Should().ContainSingle().Which.Current.Should().Be(CandidateHealthState.CoolingDown);
    }

    [Fact]
    public void ReportSuccess_ResetsTheRunOfFailures()
    {
        CandidateHealth health = Create();

        health.ReportFailure(s_serverError, false, _time.GetUtcNow());
        health.ReportFailure(s_serverError, false, _time.GetUtcNow());
        health.ReportSuccess(false, _time.GetUtcNow());
        health.ReportFailure(s_serverError, false, _time.GetUtcNow());

        health.Snapshot(_time.GetUtcNow()).State.Should().Be(CandidateHealthState.Healthy);
    }

    [Fact]
    public void Cooldown_ShortThenLongDeadline_TheLatestWins_AndNeverShrinks()
    {
        CandidateHealth health = Create();
        DateTimeOffset now = _time.GetUtcNow();

        health.ReportFailure(s_rateLimited with { RetryAfter = TimeSpan.FromSeconds(1) }, false, now);
        health.ReportFailure(s_rateLimited, false, now);
        health.ReportFailure(s_rateLimited with { RetryAfter = TimeSpan.FromSeconds(5) }, false, now);

        health.Snapshot(now).AvailableAt.Should().Be(now + _options.RateLimitCooldown);
        _time.Advance(TimeSpan.FromSeconds(59));
        health.TryEnter(_time.GetUtcNow(), out _).Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(1));
        health.TryEnter(_time.GetUtcNow(), out bool probe).Should().BeTrue();
        probe.Should().BeTrue();
    }

    [Fact]
    public void AfterCooldown_ExactlyOneProbe_UntilItEnds()
    {
        CandidateHealth health = Create();
        health.ReportFailure(s_rateLimited, false, _time.GetUtcNow());
        _time.Advance(_options.RateLimitCooldown);

        var admitted = Enumerable.Range(0, 10).Select(_ => health.TryEnter(_time.GetUtcNow(), out bool p) && p).ToArray();

        admitted.Count(a => a).Should().Be(1);
        health.Snapshot(_time.GetUtcNow()).State.Should().Be(CandidateHealthState.Probing);
        health.ReportSuccess(wasProbe: true, _time.GetUtcNow());
        health.Snapshot(_time.GetUtcNow()).State.Should().Be(CandidateHealthState.Healthy);
        health.TryEnter(_time.GetUtcNow(), out bool again).Should().BeTrue();
        again.Should().BeFalse();
        _changes.Select(c => c.Current).Should().Equal(
            CandidateHealthState.CoolingDown, CandidateHealthState.Probing, CandidateHealthState.Healthy);
    }

    [Fact]
    public void ProbeFails_ReopensForTheBreakDuration()
    {
        CandidateHealth health = Create();
        for (int i = 0; i < 3; i++)
        {
            health.ReportFailure(s_serverError, false, _time.GetUtcNow());
        }

        _time.Advance(TimeSpan.FromSeconds(20));
        health.TryEnter(_time.GetUtcNow(), out bool probe).Should().BeTrue();
        health.ReportFailure(s_serverError, probe, _time.GetUtcNow());

        health.Snapshot(_time.GetUtcNow()).AvailableAt.Should().Be(_time.GetUtcNow() + TimeSpan.FromSeconds(20));
        health.TryEnter(_time.GetUtcNow(), out _).Should().BeFalse();
    }

    [Fact]
    public void LateSuccessWhileOpen_DoesNotClose_RequestFaultOnProbe_Closes()
    {
        CandidateHealth health = Create();
        health.ReportFailure(s_rateLimited, false, _time.GetUtcNow());

        health.ReportSuccess(wasProbe: false, _time.GetUtcNow());
        health.Snapshot(_time.GetUtcNow()).State.Should().Be(CandidateHealthState.CoolingDown);

        _time.Advance(_options.RateLimitCooldown);
        health.TryEnter(_time.GetUtcNow(), out bool probe).Should().BeTrue();
        health.ReportFailure(
            new FaultClassification(FaultKind.ContextLengthExceeded, FaultAction.FailOver, false),
            probe,
            _time.GetUtcNow());
        health.Snapshot(_time.GetUtcNow()).State
            .Should().Be(CandidateHealthState.Healthy, "the candidate answered; the request was at fault");
    }

    [Fact]
    public void ReleasedProbe_LetsTheNextRequestProbe_AndAStuckProbeExpires()
    {
        CandidateHealth health = Create();
        health.ReportFailure(s_rateLimited, false, _time.GetUtcNow());
        _time.Advance(_options.RateLimitCooldown);
        health.TryEnter(_time.GetUtcNow(), out _).Should().BeTrue();
        health.ReleaseProbe(_time.GetUtcNow());
        health.TryEnter(_time.GetUtcNow(), out bool second).Should().BeTrue();
        second.Should().BeTrue();

        health.TryEnter(_time.GetUtcNow(), out _).Should().BeFalse();
        _time.Advance(_options.ProbeTimeout);
        health.TryEnter(_time.GetUtcNow(), out bool third).Should().BeTrue();
        third.Should().BeTrue();
    }

    [Fact]
    public void CooldownOnlyTheProviderAskedFor_EndsWithoutAProbe()
    {
        CandidateHealth health = Create();
        health.ReportFailure(s_rateLimited with { RetryAfter = TimeSpan.FromSeconds(1) }, false, _time.GetUtcNow());
        health.ReportFailure(s_serverError with { RetryAfter = TimeSpan.FromSeconds(3) }, false, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(2));
        health.TryEnter(_time.GetUtcNow(), out _).Should().BeFalse("the latest deadline is 3 s");
        _time.Advance(TimeSpan.FromSeconds(1));

        var admitted = Enumerable.Range(0, 5).Select(_ => (health.TryEnter(_time.GetUtcNow(), out bool probe), probe)).ToArray();

        admitted.Should().AllBeEquivalentTo((true, false));
        health.Snapshot(_time.GetUtcNow())
            .Should().Be(new CandidateHealthSnapshot("A", CandidateHealthState.Healthy, null, 0, FaultKind.ServerError));
        _changes.Select(c => c.Current)
            .Should().Equal(CandidateHealthState.CoolingDown, CandidateHealthState.CoolingDown, CandidateHealthState.Healthy);
    }

    private CandidateHealth Create() => new("A", _options, _changes.Add);
}

using MetaModel.Resilience;
using MetaModel.Routing;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Resilience;

/// <summary>
/// Delays too long for a <see cref="TimeSpan"/>, a <see cref="DateTimeOffset"/> or a timer: from a provider's
/// <c>Retry-After</c> at run time, and from settings, which are refused when the router is built.
/// </summary>
public sealed class ExtremeDelayTests
{
    private static readonly DateTimeOffset s_now = TestRouter.Start;

    private readonly TestRouter _test = new();

    [Theory]
    [InlineData("1e300", null)]
    [InlineData(null, "1e15")]
    [InlineData("1.7976931348623157E+308", "5")]
    public void ParseRetryAfter_BeyondWhatATimeSpanHolds_IsTheLongestTimeSpan(string? milliseconds, string? seconds)
    {
        FaultClassifier.ParseRetryAfter(milliseconds, seconds, s_now).Should().Be(TimeSpan.MaxValue);
    }

    [Theory]
    [InlineData(false, "1e15")]
    [InlineData(true, "1e15")]
    [InlineData(false, "500000000000")]
    [InlineData(true, "500000000000")]
    public async Task RetryAfterBeyondTheCalendar_FailsOverAndCoolsTheCandidateDownForGood(bool streaming, string retryAfter)
    {
        var a = FakeChatClient.Failing(
            "a",
            () => FakePipelineResponse.Error(429, headers: new Dictionary<string, string> { ["Retry-After"] = retryAfter }));
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(
            o => o.Failover.MaxRetriesPerCandidate = 1,
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));

        var (response, _) = await Chat.CallAsync(router, streaming);

        response.Text.Should().Be("from b");
        a.Calls.Should().Be(1, "a wait longer than MaxRetryDelay is not retried");
        CandidateHealthSnapshot health = router.GetCandidateHealth()[0];
        health.State.Should().Be(CandidateHealthState.CoolingDown);
        health.AvailableAt.Should().Be(DateTimeOffset.MaxValue);
        _test.Recorder.Attempts[0].RetryAfter.Should().BeGreaterThan(TimeSpan.FromDays(365 * 10_000));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClassifierAskingForTheLongestDelay_DuringAProbe_KeepsTheCandidateOut(bool streaming)
    {
        var a = FakeChatClient.Failing("a", () => new HttpRequestException("down"));
        var b = FakeChatClient.Answering("b", "from b");
        bool forever = false;
        using var router = _test.Create(
            o =>
            {
                o.Failover.FailureThreshold = 1;
                o.Failover.BreakDuration = TimeSpan.FromSeconds(10);
                o.Failover.ProbeTimeout = TimeSpan.MaxValue;
                o.Failover.Classifier = (_, c) => forever ? c with { RetryAfter = TimeSpan.MaxValue } : c;
            },
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));
        (await Chat.CallAsync(router, streaming)).Response.Text.Should().Be("from b");
        _test.Time.Advance(TimeSpan.FromSeconds(11));
        forever = true;

        (await Chat.CallAsync(router, streaming)).Response.Text.Should().Be("from b");

        a.Calls.Should().Be(2, "the second request was the probe");
        _test.Recorder.Attempts.Where(x => x.CandidateId == "A").Last().WasProbe.Should().BeTrue();
        router.GetCandidateHealth()[0].AvailableAt.Should().Be(DateTimeOffset.MaxValue);
        _test.Time.Advance(TimeSpan.FromDays(3650));
        (await Chat.CallAsync(router, streaming)).Response.Text.Should().Be("from b");
        a.Calls.Should().Be(2);
    }

    [Fact]
    public void Validate_DelaysLongerThanATimerCanWait_NameTheSetting()
    {
        var options = new FailoverOptions
        {
            AttemptTimeout = TimeSpan.FromDays(60),
            FirstUpdateTimeout = TimeSpan.MaxValue,
            MaxRetryDelay = TimeSpan.FromDays(50),
            MaxWaitForAvailability = TimeSpan.MaxValue,
        };

        IReadOnlyList<string> problems = options.Validate();

        problems.Should().HaveCount(4);
        problems.Should().Contain(p => p.StartsWith("Failover.AttemptTimeout must be at most", StringComparison.Ordinal));
        problems.Should().Contain(p => p.StartsWith("Failover.FirstUpdateTimeout must be at most", StringComparison.Ordinal));
        problems.Should().Contain(p => p.StartsWith("Failover.MaxRetryDelay must be at most", StringComparison.Ordinal));
        problems.Should().Contain(p => p.StartsWith("Failover.MaxWaitForAvailability must be at most", StringComparison.Ordinal));
        problems.Should().OnlyContain(p => p.Contains("(was ", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TheLongestTimerDelay_IsAccepted()
    {
        TimeSpan longest = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
        var options = new FailoverOptions
        {
            AttemptTimeout = longest,
            FirstUpdateTimeout = longest,
            MaxRetryDelay = longest,
            MaxWaitForAvailability = longest,
            BreakDuration = TimeSpan.MaxValue,
            RateLimitCooldown = TimeSpan.MaxValue,
            ProbeTimeout = TimeSpan.MaxValue,
        };

        options.Validate().Should().BeEmpty();
        using ITimer timer = TimeProvider.System.CreateTimer(_ => { }, null, longest, Timeout.InfiniteTimeSpan);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LongestBreakAndProbeTimeouts_DoNotOverflowTheClock(bool streaming)
    {
        var a = FakeChatClient.Failing("a", () => FakePipelineResponse.Error(429));
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(
            o =>
            {
                o.Failover.FailureThreshold = 1;
                o.Failover.BreakDuration = TimeSpan.MaxValue;
                o.Failover.RateLimitCooldown = TimeSpan.MaxValue;
                o.Failover.ProbeTimeout = TimeSpan.MaxValue;
            },
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));

        (await Chat.CallAsync(router, streaming)).Response.Text.Should().Be("from b");
        (await Chat.CallAsync(router, streaming)).Response.Text.Should().Be("from b");

        a.Calls.Should().Be(1);
        router.GetCandidateHealth()[0].AvailableAt.Should().Be(DateTimeOffset.MaxValue);
    }
}

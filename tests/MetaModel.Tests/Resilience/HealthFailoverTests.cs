using MetaModel.Compliance;
using MetaModel.Resilience;
using MetaModel.Routing;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Resilience;

/// <summary>Cooldowns, circuit breaking with one probe, and requests that arrive while every candidate cools down.</summary>
public sealed class HealthFailoverTests
{
    private readonly TestRouter _test = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConcurrentRateLimits_TheLatestDeadlineKeepsTheCandidateOut_ThenOneProbe(bool streaming)
    {
        const int concurrent = 8;
        int arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool answering = false;
        Exception RateLimit()
        {
            // Only the first to arrive says when to come back; the others carry no Retry-After.
            int order = Interlocked.Increment(ref arrived);
            if (order == concurrent)
            {
                allArrived.SetResult();
            }

            return FakePipelineResponse.Error(
                429,
                "rate_limit_exceeded",
                headers: order == 1 ? new Dictionary<string, string> { ["Retry-After"] = "1" } : null);
        }

        var a = new FakeChatClient("a")
        {
            OnGetResponse = async (_, _, _) =>
            {
                if (answering)
                {
                    return new ChatResponse(new ChatMessage(ChatRole.Assistant, "from a"))
                    {
                        FinishReason = ChatFinishReason.Stop,
                    };
                }

                Exception error = RateLimit();
                await allArrived.Task;
                throw error;
            },
            OnStream = (_, _, ct) => answering
                ? FakeChatClient.StreamWords("from a", null, ChatFinishReason.Stop, null, ct)
                : Streams.FailAfter(allArrived.Task, RateLimit()),
        };
        var b = FakeChatClient.Answering("b", "from b");
        var changes = new List<CandidateHealthChangedEventArgs>();
        using var router = _test.Create(TestRouter.Candidate("A", a), TestRouter.Candidate("B", b));
        router.HealthChanged += (_, e) =>
        {
            lock (changes)
            {
                changes.Add(e);
            }
        };

        await Task.WhenAll(Enumerable.Range(0, concurrent).Select(_ => Chat.CallAsync(router, streaming)));

        a.Calls.Should().Be(concurrent);
        b.Calls.Should().Be(concurrent);
        CandidateHealthSnapshot health = router.GetCandidateHealth()[0];
        health.State.Should().Be(CandidateHealthState.CoolingDown);
        health.AvailableAt.Should().Be(TestRouter.Start + TimeSpan.FromSeconds(60), "the latest deadline wins");

        answering = true;
        foreach (TimeSpan step in new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(28.9) })
        {
            _test.Time.Advance(step);
            (await Chat.CallAsync(router, streaming)).Response.Text.Should().Be("from b");
        }

        a.Calls.Should().Be(concurrent, "no request reaches A before the latest deadline");
        _test.Time.Advance(TimeSpan.FromSeconds(0.1));
        (await Chat.CallAsync(router, streaming)).Response.Text.Should().Be("from a");
        _test.Recorder.Attempts[^1].WasProbe.Should().BeTrue();
        router.GetCandidateHealth()[0].State.Should().Be(CandidateHealthState.Healthy);
        changes.Select(c => c.Current).Should().StartWith(CandidateHealthState.CoolingDown)
            .And.EndWith([CandidateHealthState.Probing, CandidateHealthState.Healthy]);
        _test.Logger.Entries.Where(e => e.Id.Name == "CandidateHealthChanged").Should().HaveCount(changes.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeadPrimary_CircuitOpensAfterAFewFailures_ThenExactlyOneProbePerCooldown(bool streaming)
    {
        DateTimeOffset upAgain = TestRouter.Start + TimeSpan.FromSeconds(60);
        var calledAt = new List<TimeSpan>();
        var a = new FakeChatClient("a");
        a.OnGetResponse = (_, _, _) =>
        {
            calledAt.Add(_test.Time.GetUtcNow() - TestRouter.Start);
            return _test.Time.GetUtcNow() < upAgain
                ? Task.FromException<ChatResponse>(
                    new HttpRequestException("down", null, System.Net.HttpStatusCode.InternalServerError))
                : Task.FromResult(
                    new ChatResponse(new ChatMessage(ChatRole.Assistant, "from a")) { FinishReason = ChatFinishReason.Stop });
        };
        a.OnStream = (m, o, ct) => Stream(a.OnGetResponse(m, o, ct));
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(
            o =>
            {
                o.Failover.FailureThreshold = 3;
                o.Failover.BreakDuration = TimeSpan.FromSeconds(20);
            },
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));

        var answers = new List<string>();
        for (int i = 0; i < 20; i++)
        {
            answers.Add((await Chat.CallAsync(router, streaming)).Response.Text);
            _test.Time.Advance(TimeSpan.FromSeconds(4));
        }

        calledAt.Select(t => t.TotalSeconds).Should().Equal(0, 4, 8, 28, 48, 68, 72, 76);
        answers.Count(t => t == "from b").Should().Be(17);
        _test.Recorder.Attempts.Where(r => r.WasProbe).Select(r => r.Completed).Should().Equal(false, false, true);

        static async IAsyncEnumerable<ChatResponseUpdate> Stream(Task<ChatResponse> response)
        {
            foreach (ChatResponseUpdate update in (await response).ToChatResponseUpdates())
            {
                yield return update;
            }
        }
    }

    [Fact]
    public async Task AfterCooldown_ConcurrentRequests_OnlyOneProbeReachesTheCandidate()
    {
        var probeRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool failing = true;
        var a = new FakeChatClient("a")
        {
            OnGetResponse = async (_, _, _) =>
            {
                if (failing)
                {
                    throw FakePipelineResponse.Error(429);
                }

                await probeRelease.Task;
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, "from a")) { FinishReason = ChatFinishReason.Stop };
            },
        };
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(TestRouter.Candidate("A", a), TestRouter.Candidate("B", b));
        await router.GetResponseAsync(Chat.Prompt("x"));
        failing = false;
        _test.Time.Advance(TimeSpan.FromSeconds(60));

        Task<ChatResponse> probe = router.GetResponseAsync(Chat.Prompt("x"));
        ChatResponse[] others = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => router.GetResponseAsync(Chat.Prompt("x"))));
        probeRelease.SetResult();

        (await probe).Text.Should().Be("from a");
        others.Should().OnlyContain(r => r.Text == "from b");
        a.Calls.Should().Be(2);
        _test.Recorder.Decisions.TakeLast(5).SelectMany(d => d.Candidates)
            .Where(c => c.CandidateId == "A")
            .Should().OnlyContain(c => c.Exclusion == ExclusionKind.Unavailable && c.Reason!.Contains("probe"));
    }

    [Fact]
    public async Task CooldownTheProviderAskedFor_FullTrafficResumesAtTheDeadlineWithoutAProbe()
    {
        bool failing = true;
        var a = new FakeChatClient("a")
        {
            OnGetResponse = (_, _, _) => failing
                ? Task.FromException<ChatResponse>(
                    FakePipelineResponse.Error(429, headers: new Dictionary<string, string> { ["retry-after-ms"] = "500" }))
                : Task.FromResult(
                    new ChatResponse(new ChatMessage(ChatRole.Assistant, "from a")) { FinishReason = ChatFinishReason.Stop }),
        };
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(TestRouter.Candidate("A", a), TestRouter.Candidate("B", b));
        await router.GetResponseAsync(Chat.Prompt("x"));
        failing = false;
        (await router.GetResponseAsync(Chat.Prompt("x"))).Text.Should().Be("from b");
        _test.Time.Advance(TimeSpan.FromMilliseconds(500));

        ChatResponse[] responses =
            await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => router.GetResponseAsync(Chat.Prompt("x"))));

        responses.Should().OnlyContain(r => r.Text == "from a");
        _test.Recorder.Attempts.Should().NotContain(r => r.WasProbe);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryCandidateCoolingDown_TypedErrorSaysWhenTheEarliestRecovers_NothingIsCalled(bool streaming)
    {
        var a = FakeChatClient.Failing(
            "a",
            () => FakePipelineResponse.Error(429, headers: new Dictionary<string, string> { ["Retry-After"] = "30" }));
        var b = FakeChatClient.Failing(
            "b",
            () => FakePipelineResponse.Error(429, headers: new Dictionary<string, string> { ["Retry-After"] = "10" }));
        using var router = _test.Create(TestRouter.Candidate("A", a), TestRouter.Candidate("B", b));
        Func<Task> first = () => Chat.CallAsync(router, streaming);
        await first.Should().ThrowAsync<RoutingFailedException>();

        Func<Task> act = () => Chat.CallAsync(router, streaming);

        CandidatesUnavailableException error = (await act.Should().ThrowAsync<CandidatesUnavailableException>()).Which;
        error.EarliestAvailableAt.Should().Be(TestRouter.Start + TimeSpan.FromSeconds(10));
        error.Message.Should().Contain("cooling down").And.Contain("RateLimited");
        error.Exclusions.Should().HaveCount(2).And.OnlyContain(e => e.Kind == ExclusionKind.Unavailable && e.AvailableAt != null);
        (a.Calls + b.Calls).Should().Be(2);
        DecisionRecord decision = _test.Recorder.Decisions[^1];
        decision.ChosenCandidateId.Should().BeNull();
        decision.Candidates.Should().OnlyContain(c => c.Exclusion == ExclusionKind.Unavailable);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryCandidateCoolingDown_OptInWait_ServesWhenTheEarliestRecovers(bool streaming)
    {
        bool failing = true;
        var a = new FakeChatClient("a")
        {
            OnGetResponse = (_, _, _) => failing
                ? Task.FromException<ChatResponse>(
                    FakePipelineResponse.Error(429, headers: new Dictionary<string, string> { ["Retry-After"] = "10" }))
                : Task.FromResult(
                    new ChatResponse(new ChatMessage(ChatRole.Assistant, "after the wait"))
                    {
                        FinishReason = ChatFinishReason.Stop,
                    }),
        };
        a.OnStream = (m, o, ct) => failing
            ? Streams.FailAfter(
                Task.CompletedTask,
                FakePipelineResponse.Error(429, headers: new Dictionary<string, string> { ["Retry-After"] = "10" }))
            : FakeChatClient.StreamWords("after the wait", null, ChatFinishReason.Stop, null, ct);
        using var router =
            _test.Create(o => o.Failover.MaxWaitForAvailability = TimeSpan.FromSeconds(15), TestRouter.Candidate("A", a));
        Func<Task> first = () => Chat.CallAsync(router, streaming);
        await first.Should().ThrowAsync<RoutingFailedException>();
        failing = false;

        var (response, _) = await Clock.RunAsync(_test.Time, () => Chat.CallAsync(router, streaming), TimeSpan.FromSeconds(1));

        response.Text.Should().Be("after the wait");
        _test.Time.GetUtcNow().Should().BeOnOrAfter(TestRouter.Start + TimeSpan.FromSeconds(10));
        _test.Recorder.Decisions.Should().HaveCount(2, "one decision per request, however long it waited");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FailoverFindsEveryOtherCandidateCoolingDown_OptInWait_TheFirstToRecoverAnswers(bool streaming)
    {
        var a = FakeChatClient.Failing(
            "a",
            () => new HttpRequestException("down", null, System.Net.HttpStatusCode.InternalServerError));
        bool bFailing = true;
        var b = new FakeChatClient("b")
        {
            OnGetResponse = (_, _, _) => bFailing
                ? Task.FromException<ChatResponse>(
                    FakePipelineResponse.Error(429, headers: new Dictionary<string, string> { ["Retry-After"] = "2" }))
                : Task.FromResult(
                    new ChatResponse(new ChatMessage(ChatRole.Assistant, "from b")) { FinishReason = ChatFinishReason.Stop }),
        };
        b.OnStream = (m, o, ct) => bFailing
            ? Streams.FailAfter(
                Task.CompletedTask,
                FakePipelineResponse.Error(429, headers: new Dictionary<string, string> { ["Retry-After"] = "2" }))
            : FakeChatClient.StreamWords("from b", null, ChatFinishReason.Stop, null, ct);
        using var router = _test.Create(
            o => o.Failover.MaxWaitForAvailability = TimeSpan.FromSeconds(5),
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));
        _test.Policy.Decider = r =>
            new RoutingDecision([.. r.EligibleCandidates.Reverse().Select(c => new CandidateScore(c, 1))], "B first");
        Func<Task> coolB = () => Chat.CallAsync(router, streaming);
        await coolB.Should().ThrowAsync<RoutingFailedException>();
        bFailing = false;
        _test.Policy.Decider = null;

        var (response, _) =
            await Clock.RunAsync(_test.Time, () => Chat.CallAsync(router, streaming), TimeSpan.FromMilliseconds(250));

        response.Text.Should().Be("from b");
        _test.Time.GetUtcNow().Should().BeOnOrAfter(TestRouter.Start + TimeSpan.FromSeconds(2));
        _test.Logger.Entries.Should().Contain(e => e.Id.Name == "WaitingForAvailability");
    }

    [Fact]
    public async Task EveryCandidateCoolingDown_RecoveryBeyondTheWaitBound_FailsAtOnce()
    {
        var a = FakeChatClient.Failing("a", () => FakePipelineResponse.Error(429));
        using var router =
            _test.Create(o => o.Failover.MaxWaitForAvailability = TimeSpan.FromSeconds(15), TestRouter.Candidate("A", a));
        Func<Task> first = () => router.GetResponseAsync(Chat.Prompt("x"));
        await first.Should().ThrowAsync<RoutingFailedException>();

        Func<Task> act = () => router.GetResponseAsync(Chat.Prompt("x"));

        (await act.Should().ThrowAsync<CandidatesUnavailableException>()).Which.EarliestAvailableAt
            .Should().Be(
                TestRouter.Start + TimeSpan.FromSeconds(60),
                "a 429 without Retry-After cools down for the default minute");
        _test.Time.GetUtcNow().Should().Be(TestRouter.Start);
    }
}

using System.ClientModel;
using System.Net;
using MetaModel.Compliance;
using MetaModel.Policies;
using MetaModel.Resilience;
using MetaModel.Routing;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Resilience;

/// <summary>Retries on the same candidate, fallback chains and loops, and which faults stop, retry or fail over.</summary>
public sealed class RetryFailoverTests
{
    private readonly TestRouter _test = new();

    [Fact]
    public void CyclicOrSelfReferencingFallbacks_AreRejectedAtStartupWithAClearMessage()
    {
        var a = FakeChatClient.Answering("a", "x");
        var b = FakeChatClient.Answering("b", "x");

        Action cyclic = () => _test.Create(
            o =>
            {
                o.Failover.Candidates["A"] = Fallbacks("B");
                o.Failover.Candidates["B"] = Fallbacks("A");
                o.Failover.Candidates["C"] = Fallbacks("C", "nobody");
            },
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b),
            TestRouter.Candidate("C", b));

        var error = cyclic.Should().Throw<MetaModelConfigurationException>().Which;
        error.Message.Should().Contain("A -> B -> A").And.Contain("cyclic");
        error.Message.Should().Contain("'C' names itself").And.Contain("'nobody', which is not configured");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FallbackLoopInTheRanking_EachCandidateAttemptedOnce_OneErrorCarriesEveryCause(bool streaming)
    {
        var a = FakeChatClient.Failing("a", () => new HttpRequestException("a broke", null, HttpStatusCode.InternalServerError));
        var b = FakeChatClient.Failing("b", () => new HttpRequestException("b broke", null, HttpStatusCode.BadGateway));
        var candidates = new[] { TestRouter.Candidate("A", a), TestRouter.Candidate("B", b) };
        _test.Policy.Decider = _ => new RoutingDecision(
            [.. candidates.Concat(candidates).Concat(candidates).Select(c => new CandidateScore(c, 1))],
            "a ranking that loops");
        using var router = _test.Create(o => o.MaxAttemptsPerRequest = 10, candidates);

        Func<Task> act = () => Chat.CallAsync(router, streaming);

        RoutingFailedException error = (await act.Should().ThrowAsync<RoutingFailedException>()).Which;
        error.Attempts.Select(f => (f.CandidateId, f.Fault.Kind))
            .Should().Equal(("A", FaultKind.ServerError), ("B", FaultKind.ServerError));
        error.Message.Should().Contain("a broke").And.Contain("b broke");
        (a.Calls, b.Calls).Should().Be((1, 1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RetriesConfiguredPerCandidate_RetriedThenFailedOver_TotalAttemptsCapped(bool streaming)
    {
        var a = FakeChatClient.Failing("a", () => new HttpRequestException("a broke", null, HttpStatusCode.InternalServerError));
        var b = FakeChatClient.Failing("b", () => new HttpRequestException("b broke", null, HttpStatusCode.InternalServerError));
        var c = FakeChatClient.Answering("c", "never reached");
        using var router = _test.Create(
            o =>
            {
                o.MaxAttemptsPerRequest = 3;
                o.Failover.Candidates["A"] = new CandidateLimits { MaxRetries = 1 };
            },
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b),
            TestRouter.Candidate("C", c));

        Func<Task> act = () => Chat.CallAsync(router, streaming);

        RoutingFailedException error = (await act.Should().ThrowAsync<RoutingFailedException>()).Which;
        error.Attempts.Select(f => f.CandidateId).Should().Equal("A", "A", "B");
        error.Message.Should().Contain("limit of 3 attempts");
        (a.Calls, b.Calls, c.Calls).Should().Be((2, 1, 0));
    }

    [Fact]
    public async Task ConfiguredFallbacks_AreTriedBeforeTheRestOfTheRanking()
    {
        var a = FakeChatClient.Failing("a", () => new HttpRequestException("down", null, HttpStatusCode.ServiceUnavailable));
        var b = FakeChatClient.Answering("b", "from b");
        var c = FakeChatClient.Answering("c", "from c");
        using var router = _test.Create(
            o => o.Failover.Candidates["A"] = Fallbacks("C"),
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b),
            TestRouter.Candidate("C", c));

        ChatResponse response = await router.GetResponseAsync(Chat.Prompt("x"));

        response.Text.Should().Be("from c");
        b.Calls.Should().Be(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RateLimitThenContextLength_NoMoreRetries_ALargerWindowIsTried(bool streaming)
    {
        var a = Sequence("a", RateLimitedNow(), ContextLengthExceeded());
        var small = FakeChatClient.Answering("small", "too small");
        var large = FakeChatClient.Answering("large", "fits");
        using var router = _test.Create(
            o => o.Failover.MaxRetriesPerCandidate = 3,
            TestRouter.Candidate("A", a, contextWindow: 8_000),
            TestRouter.Candidate("Small", small, contextWindow: 4_000),
            TestRouter.Candidate("Large", large, contextWindow: 32_000));

        var (response, _) = await Chat.CallAsync(router, streaming);

        response.Text.Should().Be("fits");
        (a.Calls, small.Calls).Should().Be((2, 0));
        _test.Recorder.Attempts.Select(r => (r.CandidateId, r.Fault, r.Action)).Should().Equal(
            ("A", FaultKind.RateLimited, FaultAction.Retry),
            ("A", FaultKind.ContextLengthExceeded, FaultAction.FailOver),
            ("Large", null, null));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RateLimitThenContextLength_NoLargerWindow_TheContextErrorIsReportedNotTheStaleRateLimit(bool streaming)
    {
        var a = Sequence("a", RateLimitedNow(), ContextLengthExceeded());
        var small = FakeChatClient.Answering("small", "too small");
        using var router = _test.Create(
            o => o.Failover.MaxRetriesPerCandidate = 3,
            TestRouter.Candidate("A", a, contextWindow: 8_000),
            TestRouter.Candidate("Small", small, contextWindow: 4_000));

        Func<Task> act = () => Chat.CallAsync(router, streaming);

        RoutingFailedException error = (await act.Should().ThrowAsync<RoutingFailedException>()).Which;
        error.InnerException.Should().BeOfType<ClientResultException>().Which.Status.Should().Be(400);
        error.Attempts[^1].Fault.Kind.Should().Be(FaultKind.ContextLengthExceeded);
        error.Skipped.Should().ContainSingle().Which.Kind.Should().Be(ExclusionKind.ContextWindow);
        small.Calls.Should().Be(0);
    }

    [Theory]
    [InlineData(400, "invalid_value")]
    [InlineData(404, "model_not_found")]
    public async Task NonRetryableErrors_AreNotRetriedOnTheSameCandidate(int status, string code)
    {
        var a = FakeChatClient.Failing("a", () => FakePipelineResponse.Error(status, code));
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(
            o => o.Failover.MaxRetriesPerCandidate = 3,
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));

        ChatResponse response = await router.GetResponseAsync(Chat.Prompt("x"));

        response.Text.Should().Be("from b");
        a.Calls.Should().Be(1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unauthorized_ByDefault_StopsWithOneErrorAndTriesNoOtherCandidate(bool streaming)
    {
        var a = FakeChatClient.Failing("a", () => new HttpRequestException("bad key", null, HttpStatusCode.Unauthorized));
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(TestRouter.Candidate("A", a), TestRouter.Candidate("B", b));

        Func<Task> act = () => Chat.CallAsync(router, streaming);

        (await act.Should().ThrowAsync<RoutingFailedException>()).Which.Message
            .Should().Contain("Unauthorized fault of 'A' is final");
        b.Calls.Should().Be(0);
        _test.Recorder.Attempts.Single().WillFailOver.Should().BeFalse();
    }

    [Theory]
    [InlineData(false, 401)]
    [InlineData(true, 401)]
    [InlineData(false, 429)]
    [InlineData(true, 429)]
    public async Task StatusFilterPolicy_FallBackOn401And429_StatusIsReadFromTheThrownException(bool streaming, int status)
    {
        var a = FakeChatClient.Failing("a", () => new HttpRequestException("refused", null, (HttpStatusCode)status));
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(
            o => o.Failover.Classifier = (_, fault) => fault.StatusCode is 401 or 429
                ? fault with { Action = FaultAction.FailOver }
                : fault with { Action = FaultAction.Stop },
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));

        var (response, _) = await Chat.CallAsync(router, streaming);

        response.Text.Should().Be("from b");
        AttemptRecord first = _test.Recorder.Attempts[0];
        first.StatusCode.Should().Be(status);
        first.Action.Should().Be(FaultAction.FailOver);
    }

    [Fact]
    public async Task RetryAfterLongerThanTheRetryBound_FailsOverInsteadOfWaiting()
    {
        var a =
            Sequence("a", FakePipelineResponse.Error(429, headers: new Dictionary<string, string> { ["Retry-After"] = "20" }));
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(
            o => o.Failover.MaxRetriesPerCandidate = 2,
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));

        ChatResponse response = await router.GetResponseAsync(Chat.Prompt("x"));

        response.Text.Should().Be("from b");
        a.Calls.Should().Be(1);
        _test.Time.GetUtcNow().Should().Be(TestRouter.Start);
    }

    [Fact]
    public async Task RetryOfACandidateStillCoolingDown_IsNotWaitedFor_TheRequestFailsOverAtOnce()
    {
        var a = Sequence("a", FakePipelineResponse.Error(429));
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(
            o =>
            {
                o.Failover.MaxRetriesPerCandidate = 2;
                o.Failover.RetryBaseDelay = TimeSpan.FromSeconds(1);
            },
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));

        ChatResponse response = await router.GetResponseAsync(Chat.Prompt("x"));

        response.Text.Should().Be("from b");
        a.Calls.Should().Be(1);
        _test.Time.GetUtcNow().Should().Be(TestRouter.Start, "a 429 without Retry-After cools A down for a minute");
    }

    [Fact]
    public async Task Retry_WaitsWithBackoffOnTheInjectedClock()
    {
        var a = Sequence(
            "a",
            new HttpRequestException("oops", null, HttpStatusCode.InternalServerError),
            new HttpRequestException("oops", null, HttpStatusCode.InternalServerError));
        using var router = _test.Create(
            o =>
            {
                o.Failover.MaxRetriesPerCandidate = 2;
                o.Failover.RetryBaseDelay = TimeSpan.FromSeconds(1);
            },
            TestRouter.Candidate("A", a));

        ChatResponse response = await Clock.RunAsync(_test.Time, () => router.GetResponseAsync(Chat.Prompt("x")));

        response.Text.Should().Be("third time");
        a.Calls.Should().Be(3);
        TimeSpan waited = _test.Time.GetUtcNow() - TestRouter.Start;
        waited.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.5)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(3.2));
    }

    private static CandidateLimits Fallbacks(params string[] ids)
    {
        var limits = new CandidateLimits();
        foreach (string id in ids)
        {
            limits.Fallbacks.Add(id);
        }

        return limits;
    }

    private static ClientResultException RateLimitedNow() =>
        FakePipelineResponse.Error(429, "rate_limit_exceeded", headers: new Dictionary<string, string> { ["Retry-After"] = "0" });

    private static ClientResultException ContextLengthExceeded() =>
        FakePipelineResponse.Error(400, "context_length_exceeded", "This model's maximum context length is 8000 tokens");

    /// <summary>A client that throws the given errors on its first calls, then answers "third time".</summary>
    private static FakeChatClient Sequence(string name, params Exception[] errors)
    {
        int call = 0;
        var client = new FakeChatClient(name);
        client.OnGetResponse = (_, _, _) =>
        {
            int index = Interlocked.Increment(ref call) - 1;
            return index < errors.Length
                ? Task.FromException<ChatResponse>(errors[index])
                : Task.FromResult(
                    new ChatResponse(new ChatMessage(ChatRole.Assistant, "third time")) { FinishReason = ChatFinishReason.Stop });
        };
        client.OnStream = (_, _, ct) =>
        {
            int index = Interlocked.Increment(ref call) - 1;
            return index < errors.Length
                ? Streams.FailAfter(Task.CompletedTask, errors[index])
                : FakeChatClient.StreamWords("third time", null, ChatFinishReason.Stop, null, ct);
        };
        return client;
    }
}

using System.ClientModel;
using System.Diagnostics;
using System.Text.Json;
using MetaModel.Compliance;
using MetaModel.Resilience;
using MetaModel.Routing;
using MetaModel.ScriptedServer;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Integration;

/// <summary>
/// Classification and failover against the official OpenAI client's real exceptions and streams, served over HTTP
/// by a scripted server on 127.0.0.1.
/// </summary>
public sealed class OpenAIFailoverTests : IClassFixture<ScriptedServerFixture>
{
    private readonly ScriptedServerFixture _fixture;
    private readonly TestRouter _test = new();

    public OpenAIFailoverTests(ScriptedServerFixture fixture)
    {
        _fixture = fixture;
        _fixture.Server.ClearRequests();
    }

    private ScriptedOpenAIServer Server => _fixture.Server;

    [Theory]
    [InlineData(false, "Retry-After", "2", 2_000)]
    [InlineData(true, "Retry-After", "2", 2_000)]
    [InlineData(false, "retry-after-ms", "750", 750)]
    [InlineData(true, "Retry-After", "Sun, 01 Mar 2026 12:00:05 GMT", 5_000)]
    public async Task RateLimited_RetryAfterIsReadFromTheRealResponse_CandidateCoolsDownAndBAnswers(
        bool streaming,
        string header,
        string value,
        int cooldownMs)
    {
        Script(
            a: ScriptedReply.Error(429, "rate_limit_exceeded", "slow down", new Dictionary<string, string> { [header] = value }));
        using var router = Router();

        var (response, _) = await Chat.CallAsync(router, streaming);

        response.Text.Should().Be("from b");
        AttemptRecord first = _test.Recorder.Attempts[0];
        (first.Fault, first.StatusCode, first.RetryAfter)
            .Should().Be((FaultKind.RateLimited, 429, TimeSpan.FromMilliseconds(cooldownMs)));
        first.ErrorKind.Should().Be(nameof(ClientResultException));
        router.GetCandidateHealth()[0].AvailableAt.Should().Be(TestRouter.Start + TimeSpan.FromMilliseconds(cooldownMs));
    }

    [Theory]
    [InlineData(false, "Retry-After", "99999999999999999")]
    [InlineData(true, "retry-after-ms", "1e300")]
    public async Task RateLimited_RetryAfterBeyondTheCalendar_BAnswersAndACoolsDownForGood(
        bool streaming,
        string header,
        string value)
    {
        Script(
            a: ScriptedReply.Error(429, "rate_limit_exceeded", "slow down", new Dictionary<string, string> { [header] = value }));
        using var router = Router();

        var (response, _) = await Chat.CallAsync(router, streaming);

        response.Text.Should().Be("from b");
        _test.Recorder.Attempts[0].RetryAfter.Should().Be(TimeSpan.MaxValue);
        router.GetCandidateHealth()[0].AvailableAt.Should().Be(DateTimeOffset.MaxValue);
    }

    [Theory]
    [InlineData(false, 500, FaultKind.ServerError)]
    [InlineData(true, 500, FaultKind.ServerError)]
    [InlineData(false, 503, FaultKind.Overloaded)]
    [InlineData(true, 502, FaultKind.ServerError)]
    [InlineData(false, 404, FaultKind.NotFound)]
    public async Task ServerErrors_FailOverToB(bool streaming, int status, FaultKind kind)
    {
        Script(a: ScriptedReply.Error(status));
        using var router = Router();

        var (response, updates) = await Chat.CallAsync(router, streaming);

        response.Text.Should().Be("from b");
        if (streaming)
        {
            updates.Should().HaveCount(6, "role, two words, finish, usage, routing summary")
                .And.OnlyContain(u => u.GetCandidateId() == "B");
        }

        _test.Recorder.Attempts[0].Fault.Should().Be(kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ContextLengthExceeded_LargerWindowAnswers(bool streaming)
    {
        Script(a: ScriptedReply.Error(400, "context_length_exceeded", "This model's maximum context length is 8192 tokens"));
        using var router = _test.Create(
            o => o.Failover.MaxRetriesPerCandidate = 2,
            TestRouter.Candidate("A", _fixture.Client("a"), contextWindow: 8_192),
            TestRouter.Candidate("Small", _fixture.Client("small"), contextWindow: 4_096),
            TestRouter.Candidate("B", _fixture.Client("b"), contextWindow: 128_000));

        var (response, _) = await Chat.CallAsync(router, streaming);

        response.Text.Should().Be("from b");
        Server.Requests.Select(r => r.Model).Should().Equal("a", "b");
        _test.Recorder.Attempts[0].Fault.Should().Be(FaultKind.ContextLengthExceeded);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unauthorized_StopsByDefault_FailsOverWhenThePolicySaysSo(bool streaming)
    {
        Script(a: ScriptedReply.Error(401, "invalid_api_key", "Incorrect API key provided"));
        using (var strict = Router())
        {
            Func<Task> act = () => Chat.CallAsync(strict, streaming);
            (await act.Should().ThrowAsync<RoutingFailedException>()).Which.InnerException
                .Should().BeOfType<ClientResultException>().Which.Status.Should().Be(401);
        }

        using var lenient = Router(o => o.Failover.Classifier = (_, f) =>
            f.StatusCode is 401 or 429 ? f with { Action = FaultAction.FailOver } : f);
        (await Chat.CallAsync(lenient, streaming)).Response.Text.Should().Be("from b");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ContentFilter_Stops(bool streaming)
    {
        Script(a: ScriptedReply.Error(400, "content_filter", "The prompt was filtered by the content management policy"));
        using var router = Router();

        Func<Task> act = () => Chat.CallAsync(router, streaming);

        (await act.Should().ThrowAsync<RoutingFailedException>()).Which.Attempts.Single().Fault.Kind
            .Should().Be(FaultKind.ContentFiltered);
        Server.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task ErrorEventBeforeOutput_NextCandidateAnswers_NothingOfTheFirstReachesTheCaller()
    {
        Script(a: new ScriptedReply { Text = "never shown", ErrorAfter = 0 });
        using var router = Router();

        var (response, updates) = await Chat.CallAsync(router, streaming: true);

        response.Text.Should().Be("from b");
        updates.Should().OnlyContain(u => u.GetCandidateId() == "B");
        // The official client turns an error event into an empty update and ends the stream; the missing finish
        // reason is what gives it away.
        _test.Recorder.Attempts[0].Fault.Should().Be(FaultKind.StreamTruncated);
    }

    [Theory]
    [InlineData(CutMode.Abort)]
    [InlineData(CutMode.EndQuietly)]
    public async Task StreamCutBeforeOutput_NextCandidateAnswers(CutMode mode)
    {
        Script(a: new ScriptedReply { Text = ScriptedReply.Words(60), CutAfter = 0, CutMode = mode });
        using var router = Router();

        var (response, updates) = await Chat.CallAsync(router, streaming: true);

        response.Text.Should().Be("from b");
        updates.Should().OnlyContain(u => u.GetCandidateId() == "B");
    }

    [Theory]
    [InlineData(CutMode.Abort, typeof(IOException))]
    [InlineData(CutMode.EndQuietly, typeof(StreamFaultException))]
    public async Task StreamCutAfterOutput_TypedErrorNoFailover_RecordSaysAfterHowManyUpdates(CutMode mode, Type cause)
    {
        Script(a: new ScriptedReply { Text = ScriptedReply.Words(60), CutAfter = 40, CutMode = mode });
        using var router = Router();
        var received = new List<ChatResponseUpdate>();

        Func<Task> act = async () =>
        {
            await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync(Chat.Prompt("hi")))
            {
                received.Add(update);
            }
        };

        ResponseIncompleteException error = (await act.Should().ThrowAsync<ResponseIncompleteException>()).Which;
        error.InnerException.Should().BeAssignableTo(cause);
        if (mode == CutMode.Abort)
        {
            // A reset discards what the client had not read yet, so how much arrived depends on timing; the
            // record must still say exactly how much the caller got.
            received.Count.Should().BeInRange(2, 41, "output arrived before the reset, and at most the 40 words sent");
        }
        else
        {
            received.Should().HaveCount(41, "the role update and 40 words");
        }

        received.Should().OnlyContain(u => u.GetCandidateId() == "A");
        Server.Requests.Should().ContainSingle();
        OutcomeRecord outcome = _test.Recorder.Outcomes.Single();
        (outcome.Truncated, outcome.UpdateCount, outcome.Succeeded).Should().Be((true, received.Count, false));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task MalformedChunk_BeforeOutputFailsOver_AfterOutputIsATypedError(int after)
    {
        Script(a: new ScriptedReply { Text = ScriptedReply.Words(10), MalformedAfter = after });
        using var router = Router();

        Func<Task<(ChatResponse, List<ChatResponseUpdate>)>> act = () => Chat.CallAsync(router, streaming: true);

        if (after == 0)
        {
            (await act()).Item1.Text.Should().Be("from b");
            _test.Recorder.Attempts[0].Fault.Should().Be(FaultKind.StreamMalformed);
        }
        else
        {
            (await act.Should().ThrowAsync<ResponseIncompleteException>()).Which.InnerException
                .Should().BeAssignableTo<JsonException>();
        }
    }

    [Fact]
    public async Task SlowFirstChunk_FirstUpdateTimeout_FailsOverPromptly()
    {
        Script(a: new ScriptedReply { Text = "too late", FirstDelay = TimeSpan.FromSeconds(10) });
        using var router = SystemClockRouter(o => o.Failover.FirstUpdateTimeout = TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        var (response, _) = await Chat.CallAsync(router, streaming: true);

        response.Text.Should().Be("from b");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        _test.Recorder.Attempts[0].ErrorKind.Should().Be(nameof(AttemptTimeoutException));
    }

    [Fact]
    public async Task SlowChunksAfterOutput_AttemptTimeout_TypedErrorNotASilentCut()
    {
        // The timeout must fall after the first chunk has reached the caller, or the router rightly fails over
        // instead: 2.5 s leaves a loaded machine ample time for the first chunk, and the 10 s stream is cut well
        // before its end.
        Script(a: new ScriptedReply { Text = ScriptedReply.Words(100), ChunkDelay = TimeSpan.FromMilliseconds(100) });
        using var router = SystemClockRouter(o => o.Failover.AttemptTimeout = TimeSpan.FromMilliseconds(2500));

        Func<Task> act = () => Chat.CallAsync(router, streaming: true);

        ResponseIncompleteException error = (await act.Should().ThrowAsync<ResponseIncompleteException>()).Which;
        error.InnerException.Should().BeOfType<AttemptTimeoutException>().Which.Phase.Should().Be(AttemptTimeoutPhase.Attempt);
        error.UpdatesDelivered.Should().BeInRange(2, 60);
    }

    [Fact]
    public async Task CancelledMidStream_StopsWithinAboutOneChunk_NoFallback_PartialUsageRecorded()
    {
        Script(a: new ScriptedReply { Text = ScriptedReply.Words(100), ChunkDelay = TimeSpan.FromMilliseconds(50) });
        using var router = Router();
        using var cts = new CancellationTokenSource();
        int received = 0;
        var sinceCancel = new Stopwatch();

        Func<Task> act = async () =>
        {
            await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync(
                Chat.Prompt("hi"),
                cancellationToken: cts.Token))
            {
                if (++received == 3)
                {
                    sinceCancel.Start();
                    await cts.CancelAsync();
                }
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        sinceCancel.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(500));
        Server.Requests.Should().ContainSingle();
        OutcomeRecord outcome = _test.Recorder.Outcomes.Single();
        (outcome.UpdateCount, outcome.CostIsEstimated).Should().Be((3, true));
        outcome.OutputTokens.Should().BePositive();
    }

    [Fact]
    public async Task UsageChunk_StreamedAndNotStreamedCostTheSame()
    {
        Script(a: new ScriptedReply { Text = ScriptedReply.Words(7), PromptTokens = 120, CompletionTokens = 30 });
        using var router = Router();

        await Chat.CallAsync(router, streaming: false);
        await Chat.CallAsync(router, streaming: true);

        _test.Recorder.Outcomes.Select(o => (o.InputTokens, o.OutputTokens, o.CostUsd, o.CostIsEstimated)).Distinct()
            .Should().ContainSingle().Which.Should().Be((120L, 30L, ((120 * 1m) + (30 * 2m)) / 1_000_000m, false));
    }

    [Fact]
    public async Task StreamedToolCalls_PassThroughOnceInOrder()
    {
        Script(a: new ScriptedReply
        {
            ToolCalls = [new("call-1", "lookup", """{"q":"a"}"""), new("call-2", "lookup", """{"q":"b"}""")],
            FinishReason = "tool_calls",
        });
        using var router = Router();

        var (response, updates) = await Chat.CallAsync(router, streaming: true);

        updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().Select(c => c.CallId)
            .Should().Equal("call-1", "call-2");
        response.FinishReason.Should().Be(ChatFinishReason.ToolCalls);
    }

    private void Script(ScriptedReply a) =>
        Server.Script = request => request.Model == "a"
            ? a
            : new ScriptedReply { Text = "from b", PromptTokens = 10 };

    private MetaModelChatClient Router(Action<MetaModelOptions>? configure = null) =>
        _test.Create(
            configure,
            TestRouter.Candidate("A", _fixture.Client("a"), input: 1m, output: 2m),
            TestRouter.Candidate("B", _fixture.Client("b"), input: 1m, output: 2m));

    private MetaModelChatClient SystemClockRouter(Action<MetaModelOptions> configure)
    {
        var options = new MetaModelOptions();
        configure(options);
        return new MetaModelChatClient(
            [TestRouter.Candidate("A", _fixture.Client("a")), TestRouter.Candidate("B", _fixture.Client("b"))],
            _test.Policy,
            options,
            _test.Recorder);
    }
}

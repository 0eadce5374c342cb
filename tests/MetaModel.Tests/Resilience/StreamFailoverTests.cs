using System.Diagnostics;
using MetaModel.Compliance;
using MetaModel.Resilience;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Resilience;

/// <summary>Streams that break before or after output, errors inside streams, who answered, cancellation, tool calls.</summary>
public sealed class StreamFailoverTests
{
    private readonly TestRouter _test = new();

    public enum Break
    {
        EndsWithoutFinish,
        Stalls,
        Malformed,
    }

    [Theory]
    [InlineData(Break.EndsWithoutFinish)]
    [InlineData(Break.Stalls)]
    [InlineData(Break.Malformed)]
    public async Task Stream_BreaksBeforeOutput_NextCandidateAnswersAndNothingOfTheFirstReachesTheCaller(Break kind)
    {
        var a = new FakeChatClient("a")
        {
            OnStream = (_, _, ct) => kind switch
            {
                Break.EndsWithoutFinish => Streams.Chunks(0, finish: null, cancellationToken: ct),
                Break.Stalls => Streams.ThenStall(0, ct),
                _ => Streams.ThenMalformed(0),
            },
        };
        var b = FakeChatClient.Answering("b", "whole answer");
        using var router = _test.Create(
            o => o.Failover.FirstUpdateTimeout = TimeSpan.FromSeconds(5),
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));

        var (response, updates) = await Clock.RunAsync(_test.Time, () => Chat.CallAsync(router, streaming: true));

        response.Text.Should().Be("whole answer");
        updates.Should().OnlyContain(u => u.GetCandidateId() == "B");
        AttemptRecord first = _test.Recorder.Attempts[0];
        first.CandidateId.Should().Be("A");
        first.OutputExposed.Should().BeFalse();
        first.Fault.Should().Be(kind switch
        {
            Break.EndsWithoutFinish => FaultKind.StreamTruncated,
            Break.Stalls => FaultKind.Timeout,
            _ => FaultKind.StreamMalformed,
        });
        _test.Recorder.Outcomes.Single().AnsweredBy.Should().Be("B");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_StallsPastTheAttemptTimeout_NextCandidateAnswers(bool streaming)
    {
        var a = new FakeChatClient("a")
        {
            OnGetResponse = async (_, _, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return new ChatResponse();
            },
            OnStream = (_, _, ct) => Streams.ThenStall(0, ct),
        };
        var b = FakeChatClient.Answering("b", "in time");
        using var router = _test.Create(
            o => o.Failover.AttemptTimeout = TimeSpan.FromSeconds(30),
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));

        var (response, _) = await Clock.RunAsync(_test.Time, () => Chat.CallAsync(router, streaming), TimeSpan.FromSeconds(1));

        response.Text.Should().Be("in time");
        _test.Recorder.Attempts[0].ErrorKind.Should().Be(nameof(AttemptTimeoutException));
        _test.Time.GetUtcNow().Should().BeOnOrAfter(TestRouter.Start + TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData(Break.EndsWithoutFinish)]
    [InlineData(Break.Stalls)]
    [InlineData(Break.Malformed)]
    public async Task Stream_BreaksAfterOutput_TypedErrorNoFailoverAndTheRecordSaysAfterHowManyUpdates(Break kind)
    {
        var a = new FakeChatClient("a")
        {
            OnStream = (_, _, ct) => kind switch
            {
                Break.EndsWithoutFinish => Streams.Chunks(40, finish: null, cancellationToken: ct),
                Break.Stalls => Streams.ThenStall(40, ct),
                _ => Streams.ThenMalformed(40),
            },
        };
        var b = FakeChatClient.Answering("b", "never");
        using var router = _test.Create(
            o => o.Failover.AttemptTimeout = TimeSpan.FromSeconds(30),
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));
        var received = new List<ChatResponseUpdate>();

        Func<Task> act = () => Clock.RunAsync(_test.Time, async () =>
        {
            await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync(Chat.Prompt("hi")))
            {
                received.Add(update);
            }
        });

        ResponseIncompleteException error = (await act.Should().ThrowAsync<ResponseIncompleteException>()).Which;
        int delivered = 41;
        error.UpdatesDelivered.Should().Be(delivered, "the role update and 40 words reached the caller");
        error.CandidateId.Should().Be("A");
        received.Should().HaveCount(delivered);
        b.Calls.Should().Be(0);
        OutcomeRecord outcome = _test.Recorder.Outcomes.Single();
        outcome.Succeeded.Should().BeFalse();
        outcome.Truncated.Should().BeTrue();
        outcome.UpdateCount.Should().Be(delivered);
        outcome.ErrorKind.Should().Be(nameof(ResponseIncompleteException));
        _test.Recorder.Attempts.Single().OutputExposed.Should().BeTrue();
    }

    [Fact]
    public async Task Stream_BreaksAfterOutput_FinishAsIncomplete_EndsWithAnExplicitIncompleteUpdate()
    {
        var a = new FakeChatClient("a") { OnStream = (_, _, ct) => Streams.Chunks(40, finish: null, cancellationToken: ct) };
        using var router = _test.Create(
            o => o.Failover.IncompleteStreams = IncompleteStreamHandling.FinishAsIncomplete,
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", FakeChatClient.Answering("b", "never")));

        var (response, updates) = await Chat.CallAsync(router, streaming: true);

        updates.Should().HaveCount(42);
        updates[^1].FinishReason.Should().Be(MetaModelFinishReasons.Incomplete);
        updates[^1].Contents.OfType<ErrorContent>().Single().ErrorCode.Should().Be(nameof(FaultKind.StreamTruncated));
        response.FinishReason.Should().Be(MetaModelFinishReasons.Incomplete);
        OutcomeRecord outcome = _test.Recorder.Outcomes.Single();
        outcome.Truncated.Should().BeTrue();
        outcome.UpdateCount.Should().Be(41);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_ErrorInsideAStartedStream_IsRetryableAndTheNextCandidateAnswers(bool streaming)
    {
        var a = new FakeChatClient("a")
        {
            OnGetResponse = (_, _, _) => Task.FromResult(new ChatResponse(
                new ChatMessage(
                    ChatRole.Assistant,
                    [new ErrorContent("The server is overloaded.") { ErrorCode = "overloaded" }]))),
            OnStream = (_, _, _) => Streams.ErrorFirst("overloaded"),
        };
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(TestRouter.Candidate("A", a), TestRouter.Candidate("B", b));

        var (response, updates) = await Chat.CallAsync(router, streaming);

        response.Text.Should().Be("from b");
        if (streaming)
        {
            updates.Should().OnlyContain(u => u.GetCandidateId() == "B");
            updates.SelectMany(u => u.Contents).OfType<ErrorContent>().Should().BeEmpty();
        }

        AttemptRecord first = _test.Recorder.Attempts[0];
        first.Fault.Should().Be(FaultKind.StreamError);
        first.Action.Should().Be(FaultAction.Retry);
        first.WillFailOver.Should().BeTrue();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_FirstFailsBeforeStreaming_EverythingNamesTheCandidateThatReallyAnswered(bool streaming)
    {
        var a = FakeChatClient.Failing(
            "a",
            () => new HttpRequestException("busy", null, System.Net.HttpStatusCode.ServiceUnavailable));
        var b = FakeChatClient.Answering("b", "from b", new UsageDetails { InputTokenCount = 12, OutputTokenCount = 2 });
        using var router = _test.Create(TestRouter.Candidate("A", a), TestRouter.Candidate("B", b, input: 1m, output: 1m));
        var options = new ChatOptions { ModelId = MetaModelOptions.DefaultName };

        var (response, updates) = await Chat.CallAsync(router, streaming, options: options);

        response.ModelId.Should().Be("b-model");
        response.Usage!.InputTokenCount.Should().Be(12);
        if (streaming)
        {
            updates.Should().NotBeEmpty().And.OnlyContain(u => u.GetCandidateId() == "B" && u.ModelId == "b-model");
        }
        else
        {
            response.GetRoutingInfo()!.CandidateId.Should().Be("B");
            response.GetRoutingInfo()!.AttemptCount.Should().Be(2);
        }

        _test.Recorder.Decisions.Single().RequestedModel.Should().Be(MetaModelOptions.DefaultName);
        _test.Recorder.Attempts.Select(r => (r.CandidateId, r.Fault, r.StatusCode, r.Completed)).Should().Equal(
            ("A", FaultKind.Overloaded, 503, false),
            ("B", null, null, true));
        OutcomeRecord outcome = _test.Recorder.Outcomes.Single();
        outcome.AnsweredBy.Should().Be("B");
        outcome.InputTokens.Should().Be(12);
    }

    [Fact]
    public async Task Stream_CancelledMidway_StopsPromptlyWithoutFailoverDisposesAndRecordsPartialUsage()
    {
        var interval = TimeSpan.FromMilliseconds(50);
        var a = new FakeChatClient("a")
        {
            OnStream = (_, _, ct) => Streams.Chunks(100, ChatFinishReason.Stop, delay: interval, cancellationToken: ct),
        };
        var b = FakeChatClient.Answering("b", "never");
        using var router = _test.Create(TestRouter.Candidate("A", a, output: 1m), TestRouter.Candidate("B", b));
        using var cts = new CancellationTokenSource();
        int received = 0;
        var sinceCancel = new Stopwatch();

        Func<Task> act = async () =>
        {
            await foreach (var update in router.GetStreamingResponseAsync(Chat.Prompt("hi"), cancellationToken: cts.Token))
            {
                if (++received == 3)
                {
                    sinceCancel.Start();
                    await cts.CancelAsync();
                }
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        sinceCancel.Stop();
        sinceCancel.Elapsed
            .Should().BeLessThan(TimeSpan.FromMilliseconds(500), "enumeration stops within about one chunk interval");
        received.Should().Be(3);
        b.Calls.Should().Be(0);
        a.DisposedEnumerators.Should().Be(1);
        _test.Recorder.Attempts.Single().Fault.Should().Be(FaultKind.Cancelled);
        OutcomeRecord outcome = _test.Recorder.Outcomes.Single();
        outcome.UpdateCount.Should().Be(3);
        outcome.OutputTokens.Should().BePositive();
        outcome.CostIsEstimated.Should().BeTrue();
        router.GetCandidateHealth()[0].ConsecutiveFailures.Should().Be(0, "a cancellation says nothing about the candidate");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_StreamedFunctionCalls_PassThroughOnceInOrderAndAreNeverInvoked(bool streaming)
    {
        int invoked = 0;
        AIFunction tool = AIFunctionFactory.Create(() => ++invoked, "lookup");
        var first = new FunctionCallContent("call-1", "lookup", new Dictionary<string, object?> { ["q"] = "a" });
        var second = new FunctionCallContent("call-2", "lookup", new Dictionary<string, object?> { ["q"] = "b" });
        var a = new FakeChatClient("a")
        {
            OnGetResponse = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [first, second]))
            {
                FinishReason = ChatFinishReason.ToolCalls,
            }),
            OnStream = (_, _, _) => ToolCalls(first, second),
        };
        using var router = _test.Create(TestRouter.Candidate("A", a));

        var (response, updates) = await Chat.CallAsync(router, streaming, options: new ChatOptions { Tools = [tool] });

        response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(c => c.CallId)
            .Should().Equal("call-1", "call-2");
        if (streaming)
        {
            updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().Should().Equal(first, second);
        }

        invoked.Should().Be(0);
        response.FinishReason.Should().Be(ChatFinishReason.ToolCalls);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> ToolCalls(FunctionCallContent first, FunctionCallContent second)
    {
        yield return new ChatResponseUpdate(ChatRole.Assistant, "");
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, [first]);
        yield return new ChatResponseUpdate(ChatRole.Assistant, [second]);
        yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.ToolCalls };
    }
}

using MetaModel.Compliance;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Resilience;

/// <summary>Costs the same streamed or not, and usage across tool-call round trips counted once.</summary>
public sealed class UsageAccountingTests
{
    private readonly TestRouter _test = new();

    [Fact]
    public async Task ZeroCostReportedForAStream_CostedFromTokensLikeTheSameCallNotStreamed()
    {
        var usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 40 };
        var a = new FakeChatClient("a")
        {
            OnGetResponse = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer"))
            {
                Usage = usage,
                FinishReason = ChatFinishReason.Stop,
                AdditionalProperties = new() { [MetaModelPropertyNames.ReportedCostUsd] = 0m },
            }),
            OnStream = (_, _, ct) => ZeroCost(FakeChatClient.StreamWords("answer", usage, ChatFinishReason.Stop, null, ct)),
        };
        using var router = _test.Create(TestRouter.Candidate("A", a, input: 2m, output: 8m));

        await Chat.CallAsync(router, streaming: false);
        await Chat.CallAsync(router, streaming: true);

        _test.Recorder.Outcomes.Select(o => (o.CostUsd, o.CostIsEstimated)).Should().Equal(
            ((100 * 2m + 40 * 8m) / 1_000_000m, false),
            ((100 * 2m + 40 * 8m) / 1_000_000m, false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReportedCostBeyondTheDecimalRange_IsRecordedAsTheLargestDecimal_AndTheAnswerIsKept(bool streaming)
    {
        // A provider's billing error of 1e30 USD as a double used to throw OverflowException after the candidate
        // had answered, so the caller lost the answer; the cost is now kept as large as a decimal goes.
        var a = new FakeChatClient("a")
        {
            OnGetResponse = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "answer"))
            {
                FinishReason = ChatFinishReason.Stop,
                AdditionalProperties = new() { [MetaModelPropertyNames.ReportedCostUsd] = 1e30 },
            }),
            OnStream = (_, _, ct) => HugeCost(FakeChatClient.StreamWords("answer", null, ChatFinishReason.Stop, null, ct)),
        };
        using var router = _test.Create(TestRouter.Candidate("A", a, input: 2m, output: 8m));

        (ChatResponse response, _) = await Chat.CallAsync(router, streaming);

        response.Text.Should().Be("answer");
        response.GetRoutingInfo()!.CostUsd.Should().Be(decimal.MaxValue);
        _test.Recorder.Outcomes.Should().ContainSingle().Which.CostUsd.Should().Be(decimal.MaxValue);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ToolCallRoundTrips_UsageAddsUpOnce_AndTheFailedAttemptIsRecordedOnItsOwn(bool streaming)
    {
        int invocations = 0;
        AIFunction lookup = AIFunctionFactory.Create((string q) => { invocations++; return "result " + q; }, "lookup");
        var a = FakeChatClient.Failing(
            "a",
            () => new HttpRequestException("busy", null, System.Net.HttpStatusCode.ServiceUnavailable));
        int aFailures = 0;
        a.OnGetResponse = (_, _, _) => Interlocked.Increment(ref aFailures) == 1
            ? Task.FromException<ChatResponse>(
                new HttpRequestException("busy", null, System.Net.HttpStatusCode.ServiceUnavailable))
            : Task.FromResult(RoundTrip(0));
        a.OnStream = (m, _, ct) => Interlocked.Increment(ref aFailures) == 1
            ? Streams.FailAfter(
                Task.CompletedTask,
                new HttpRequestException("busy", null, System.Net.HttpStatusCode.ServiceUnavailable))
            : RoundTrip(0).ToChatResponseUpdates().ToAsyncEnumerable();
        var b = new FakeChatClient("b");
        b.OnGetResponse = (m, _, _) => Task.FromResult(RoundTrip(ToolResults(m)));
        b.OnStream = (m, _, _) => RoundTrip(ToolResults(m)).ToChatResponseUpdates().ToAsyncEnumerable();
        using var router = _test.Create(
            o => o.Failover.BreakDuration = TimeSpan.FromMinutes(5),
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));
        _test.Policy.Decider = r => new MetaModel.Routing.RoutingDecision(
            [.. r.EligibleCandidates
                .OrderBy(c => c.Id == "A" && aFailures > 0 ? 1 : 0)
                .Select(c => new MetaModel.Routing.CandidateScore(c, 1))],
            "A first until it failed");
        using IChatClient client = new ChatClientBuilder(router).UseFunctionInvocation().Build();

        var (response, updates) = await Chat.CallAsync(client, streaming, options: new ChatOptions { Tools = [lookup] });

        response.Text.Should().Be("done");
        invocations.Should().Be(2, "function invocation is layered on top of the router, which never invokes tools");
        _test.Recorder.Outcomes.Should().HaveCount(3).And.OnlyContain(o => o.Succeeded);
        _test.Recorder.Outcomes.Sum(o => o.InputTokens).Should().Be(30);
        _test.Recorder.Outcomes.Sum(o => o.OutputTokens).Should().Be(15);
        response.Usage!.InputTokenCount.Should().Be(30);
        response.Usage.OutputTokenCount.Should().Be(15);
        if (streaming)
        {
            updates.SelectMany(u => u.Contents).OfType<UsageContent>().Sum(u => u.Details.InputTokenCount).Should().Be(30);
        }

        AttemptRecord failed = _test.Recorder.Attempts.Should().ContainSingle(r => !r.Completed).Subject;
        failed.CandidateId.Should().Be("A");
        failed.AttemptNumber.Should().Be(1);
        _test.Recorder.Attempts.Should().HaveCount(4);
    }

    private static int ToolResults(IEnumerable<ChatMessage> messages) =>
        messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Count();

    /// <summary>Round trip n of 3: a tool call for the first two, then the answer; each uses 10 + 5 tokens.</summary>
    private static ChatResponse RoundTrip(int toolResults)
    {
        var usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5, TotalTokenCount = 15 };
        AIContent content = toolResults < 2
            ? new FunctionCallContent(
                $"call-{toolResults}",
                "lookup",
                new Dictionary<string, object?> { ["q"] = $"q{toolResults}" })
            : new TextContent("done");
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, [content]))
        {
            Usage = usage,
            FinishReason = toolResults < 2 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
        };
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> HugeCost(IAsyncEnumerable<ChatResponseUpdate> inner)
    {
        await foreach (ChatResponseUpdate update in inner)
        {
            if (update.FinishReason is not null)
            {
                update.AdditionalProperties = new() { [MetaModelPropertyNames.ReportedCostUsd] = 1e30f };
            }

            yield return update;
        }
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> ZeroCost(IAsyncEnumerable<ChatResponseUpdate> inner)
    {
        await foreach (ChatResponseUpdate update in inner)
        {
            if (update.FinishReason is not null)
            {
                update.AdditionalProperties = new() { [MetaModelPropertyNames.ReportedCostUsd] = 0m };
            }

            yield return update;
        }
    }
}

using MetaModel.Costs;
using MetaModel.Resilience;
using MetaModel.Routing;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Resilience;

/// <summary>Requests- and tokens-per-minute limits, and budgets reserved at admission and settled afterwards.</summary>
public sealed class CapacityAndBudgetTests
{
    private readonly TestRouter _test = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestsPerMinute_NineOfTenUsedIsStillEligible_TheEleventhGoesElsewhere(bool streaming)
    {
        var a = FakeChatClient.Answering("a", "from a");
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(
            o => o.Failover.Candidates["A"] = new CandidateLimits { RequestsPerMinute = 10 },
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));
        for (int i = 0; i < 9; i++)
        {
            await Chat.CallAsync(router, streaming);
        }

        (await Chat.CallAsync(router, streaming)).Response.Text.Should().Be("from a", "9 of 10 used leaves one");
        (await Chat.CallAsync(router, streaming)).Response.Text.Should().Be("from b");

        a.Calls.Should().Be(10);
        CandidateExclusion exclusion = LastExclusion("A");
        exclusion.Reason.Should().Contain("10 requests per minute are used up");
        _test.Time.Advance(TimeSpan.FromMinutes(1));
        (await Chat.CallAsync(router, streaming)).Response.Text.Should().Be("from a", "a new window began");
    }

    [Fact]
    public async Task TokensPerMinute_RequestLargerThanWhatIsLeft_ExcludesTheCandidate()
    {
        var a = FakeChatClient.Answering("a", "from a");
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(
            o => o.Failover.Candidates["A"] = new CandidateLimits { TokensPerMinute = 300 },
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));
        var options = new ChatOptions { MaxOutputTokens = 200 };

        (await router.GetResponseAsync(Chat.Prompt("x"), options)).Text.Should().Be("from a");
        (await router.GetResponseAsync(Chat.Prompt("x"), options)).Text.Should().Be("from b");

        LastExclusion("A").Reason.Should().Contain("tokens left of its 300 per minute");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoCandidateHasCapacity_TypedNoCapacityErrorNeverARandomPick(bool streaming)
    {
        var a = FakeChatClient.Answering("a", "from a");
        using var router = _test.Create(
            o => o.Failover.Candidates["A"] = new CandidateLimits { RequestsPerMinute = 1 },
            TestRouter.Candidate("A", a));
        await Chat.CallAsync(router, streaming);

        Func<Task> act = () => Chat.CallAsync(router, streaming);

        CandidatesUnavailableException error = (await act.Should().ThrowAsync<CandidatesUnavailableException>()).Which;
        error.EarliestAvailableAt.Should().Be(TestRouter.Start + TimeSpan.FromMinutes(1));
        error.Exclusions.Single().Kind.Should().Be(ExclusionKind.Unavailable);
        a.Calls.Should().Be(1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConcurrentRequestsAgainstANearlySpentBudget_EstimatesReservedAtAdmission_AtMostTwoStart(bool streaming)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var usage = new UsageDetails { InputTokenCount = 8, OutputTokenCount = 6 };
        var a = new FakeChatClient("a")
        {
            OnGetResponse = async (_, _, _) =>
            {
                await release.Task;
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, "paid"))
                {
                    Usage = usage,
                    FinishReason = ChatFinishReason.Stop,
                };
            },
            OnStream = (_, _, ct) =>
                Gated(release.Task, FakeChatClient.StreamWords("paid", usage, ChatFinishReason.Stop, null, ct)),
        };
        using var router = _test.Create(
            o => o.Budgets.Add(new BudgetLimit("t", BudgetPeriod.Day, 1.00m)),
            TestRouter.Candidate("A", a, input: 0m, output: 5_000m));
        router.Budgets.RecordSpend("t", 0.90m);
        var options = new ChatOptions { MaxOutputTokens = 10 }.WithTenant("t");

        Task<(ChatResponse, List<ChatResponseUpdate>)>[] calls = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => Chat.CallAsync(router, streaming, options: options)))
            .ToArray();
        BudgetStatus during = await WaitForReservationsAsync(router, 0.10m);
        release.SetResult();
        var outcomes = await Task.WhenAll(calls.Select(async c => (await Record(c)).Error));

        during.SpentUsd.Should().Be(0.90m);
        during.ReservedUsd.Should().Be(0.10m, "two estimates of 0.05 are reserved");
        a.Calls.Should().Be(2);
        outcomes.Count(e => e is CandidatesUnavailableException u && u.Message.Contains("budget")).Should().Be(6);
        BudgetStatus after = router.Budgets.GetStatus("t").Single();
        after.ReservedUsd.Should().Be(0);
        after.SpentUsd.Should().Be(0.90m + (2 * 0.03m), "the real cost of 6 output tokens settles each reservation");
        after.SpentUsd.Should().BeLessThanOrEqualTo(1.00m);
    }

    [Fact]
    public async Task FallbackToADearerCandidate_IsCheckedAgainstTheBudgetAgain()
    {
        MetaModelChatClient? router = null;
        var cheap = new FakeChatClient("cheap")
        {
            OnGetResponse = (_, _, _) =>
            {
                // While the cheap attempt runs, other requests spend most of what is left.
                router!.Budgets.RecordSpend(null, 0.05m);
                return Task.FromException<ChatResponse>(
                    new HttpRequestException("down", null, System.Net.HttpStatusCode.InternalServerError));
            },
        };
        var dear = FakeChatClient.Answering("dear", "expensive");
        router = _test.Create(
            o => o.Budgets.Add(new BudgetLimit(null, BudgetPeriod.Month, 0.10m)),
            TestRouter.Candidate("Cheap", cheap, output: 1_000m),
            TestRouter.Candidate("Dear", dear, output: 8_000m));
        var options = new ChatOptions { MaxOutputTokens = 10 };

        Func<Task> act = () => router.GetResponseAsync(Chat.Prompt("x"), options);

        RoutingFailedException error = (await act.Should().ThrowAsync<RoutingFailedException>()).Which;
        error.Skipped.Should().ContainSingle().Which.Reason.Should().Contain("budget");
        dear.Calls.Should().Be(0);
        BudgetStatus status = router.Budgets.GetStatus(null).Single();
        status.ReservedUsd.Should().Be(0);
        status.SpentUsd.Should().Be(0.05m);
        router.Dispose();
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Gated(Task gate, IAsyncEnumerable<ChatResponseUpdate> inner)
    {
        await gate;
        await foreach (ChatResponseUpdate update in inner)
        {
            yield return update;
        }
    }

    private static async Task<(object? Result, Exception? Error)> Record<T>(Task<T> task)
    {
        try
        {
            return (await task, null);
        }
        catch (Exception ex)
        {
            return (null, ex);
        }
    }

    private static async Task<BudgetStatus> WaitForReservationsAsync(MetaModelChatClient router, decimal reserved)
    {
        for (int i = 0; i < 500; i++)
        {
            BudgetStatus status = router.Budgets.GetStatus("t").Single();
            if (status.ReservedUsd >= reserved)
            {
                // Let the refused requests finish refusing.
                await Task.Delay(50);
                return router.Budgets.GetStatus("t").Single();
            }

            await Task.Delay(10);
        }

        return router.Budgets.GetStatus("t").Single();
    }

    private CandidateExclusion LastExclusion(string candidateId)
    {
        var assessment = _test.Recorder.Decisions[^1].Candidates.Single(c => c.CandidateId == candidateId);
        assessment.Exclusion.Should().Be(ExclusionKind.Unavailable);
        return new CandidateExclusion(candidateId, assessment.Exclusion!.Value, assessment.Reason!);
    }
}

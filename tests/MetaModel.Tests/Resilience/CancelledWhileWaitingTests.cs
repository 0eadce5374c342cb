using MetaModel.Costs;
using MetaModel.Resilience;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Resilience;

/// <summary>A caller that cancels while the router waits: for a retry's backoff, or for a candidate to recover.</summary>
public sealed class CancelledWhileWaitingTests
{
    private readonly TestRouter _test = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CancelledDuringARetryBackoff_StopsReleasesTheReservationAndRecordsTheOutcome(bool streaming)
    {
        var a = FakeChatClient.Failing("a", () => new HttpRequestException("down", null, System.Net.HttpStatusCode.BadGateway));
        var b = FakeChatClient.Answering("b", "never");
        using var router = _test.Create(
            o =>
            {
                o.Failover.MaxRetriesPerCandidate = 1;
                o.Failover.RetryBaseDelay = TimeSpan.FromSeconds(2);
                o.Budgets.Add(new BudgetLimit("t", BudgetPeriod.Day, 1m));
            },
            TestRouter.Candidate("A", a, input: 1m, output: 1m),
            TestRouter.Candidate("B", b, input: 1m, output: 1m));
        using var cancellation = new CancellationTokenSource();
        var options = new ChatOptions { MaxOutputTokens = 10 }.WithTenant("t");

        Task call = Chat.CallAsync(router, streaming, options: options, cancellationToken: cancellation.Token);
        await WaitUntilAsync(() => a.Calls == 1);
        await cancellation.CancelAsync();

        await FluentActions.Awaiting(() => call.WaitAsync(TimeSpan.FromSeconds(10)))
            .Should().ThrowAsync<OperationCanceledException>();
        a.Calls.Should().Be(1, "the retry was cancelled while it waited");
        b.Calls.Should().Be(0, "a cancellation is never failed over");
        router.Budgets.GetStatus("t").Single().ReservedUsd.Should().Be(0m);
        _test.Recorder.Outcomes.Should().ContainSingle().Which.Succeeded.Should().BeFalse();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CancelledWhileWaitingForACandidateToRecover_StopsAndRecordsTheDecision(bool streaming)
    {
        var a = FakeChatClient.Failing(
            "a",
            () => FakePipelineResponse.Error(429, headers: new Dictionary<string, string> { ["Retry-After"] = "10" }));
        using var router = _test.Create(
            o => o.Failover.MaxWaitForAvailability = TimeSpan.FromSeconds(30),
            TestRouter.Candidate("A", a));
        await FluentActions.Awaiting(() => Chat.CallAsync(router, streaming))
            .Should().ThrowAsync<MetaModel.Routing.RoutingFailedException>();
        using var cancellation = new CancellationTokenSource();

        Task call = Chat.CallAsync(router, streaming, cancellationToken: cancellation.Token);
        await Task.Delay(20);
        call.IsCompleted.Should().BeFalse("the request waits for A to recover");
        await cancellation.CancelAsync();

        await FluentActions.Awaiting(() => call.WaitAsync(TimeSpan.FromSeconds(10)))
            .Should().ThrowAsync<OperationCanceledException>();
        a.Calls.Should().Be(1);
        _test.Recorder.Decisions.Should().HaveCount(2, "every request has exactly one decision record");
        MetaModel.Compliance.DecisionRecord decision = _test.Recorder.Decisions[^1];
        decision.ChosenCandidateId.Should().BeNull();
        decision.Reason.Should().Contain("cancelled while waiting");
        decision.Candidates.Should().ContainSingle().Which.Exclusion.Should().Be(MetaModel.Routing.ExclusionKind.Unavailable);
        router.GetCandidateHealth()[0].State.Should().Be(CandidateHealthState.CoolingDown);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(5);
        }

        condition().Should().BeTrue();
    }
}

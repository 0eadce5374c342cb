using MetaModel.Costs;
using MetaModel.Resilience;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Resilience;

/// <summary>Streams the caller stops reading, and attempts left behind: nothing stays reserved or half-open.</summary>
public sealed class AbandonedStreamTests
{
    private readonly TestRouter _test = new();

    [Fact]
    public async Task CallerStopsReadingMidStream_ReleasesTheReservationAndRecordsTheOutcome()
    {
        var a = new FakeChatClient("a")
        {
            OnStream = (_, _, ct) => Streams.Chunks(20, ChatFinishReason.Stop, cancellationToken: ct),
        };
        using var router = _test.Create(
            o => o.Budgets.Add(new BudgetLimit("t", BudgetPeriod.Day, 1m)),
            TestRouter.Candidate("A", a, input: 1m, output: 1m));
        var options = new ChatOptions { MaxOutputTokens = 10 }.WithTenant("t");

        int read = 0;
        await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync(Chat.Prompt("hi"), options))
        {
            if (++read == 3)
            {
                break;
            }
        }

        a.DisposedEnumerators.Should().Be(1);
        BudgetStatus status = router.Budgets.GetStatus("t").Single();
        status.ReservedUsd.Should().Be(0m);
        status.SpentUsd.Should().BeGreaterThan(0m, "the partial answer is paid for");
        _test.Recorder.Outcomes.Should().ContainSingle().Which.UpdateCount.Should().Be(3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AttemptLeftBehindAfterItsTimeout_DoesNotHoldTheReservation(bool streaming)
    {
        var a = new FakeChatClient("a")
        {
            OnGetResponse = (_, _, _) => new TaskCompletionSource<ChatResponse>().Task,
            OnStream = (_, _, _) => Hang(),
        };
        var b = FakeChatClient.Answering("b", "in time");
        using var router = _test.Create(
            o =>
            {
                o.Failover.AttemptTimeout = TimeSpan.FromSeconds(5);
                o.Budgets.Add(new BudgetLimit("t", BudgetPeriod.Day, 1m));
            },
            TestRouter.Candidate("A", a, input: 1m, output: 1m),
            TestRouter.Candidate("B", b, input: 1m, output: 1m));
        var options = new ChatOptions { MaxOutputTokens = 10 }.WithTenant("t");

        var (response, _) = await Clock
            .RunAsync(_test.Time, () => Chat.CallAsync(router, streaming, options: options), TimeSpan.FromSeconds(1))
            .WaitAsync(TimeSpan.FromSeconds(10));

        response.Text.Should().Be("in time");
        router.Budgets.GetStatus("t").Single().ReservedUsd.Should().Be(0m);
        router.GetCandidateHealth()[0].ConsecutiveFailures.Should().Be(1);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Hang()
    {
        yield return new ChatResponseUpdate(ChatRole.Assistant, "");
        await new TaskCompletionSource().Task;
    }
}

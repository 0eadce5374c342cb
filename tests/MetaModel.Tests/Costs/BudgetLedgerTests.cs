using MetaModel.Costs;
using Microsoft.Extensions.Time.Testing;

namespace MetaModel.Tests.Costs;

public sealed class BudgetLedgerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 31, 23, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Constructor_ANullLimit_IsRefusedNamingIt()
    {
        Action act = () => _ = new BudgetLedger([new BudgetLimit("t", BudgetPeriod.Day, 1m), null!]);

        act.Should().Throw<ArgumentException>().WithMessage("Budget limit #2 (null) must have*")
            .Which.ParamName.Should().Be("limits");
    }

    [Theory]
    [InlineData(-1, BudgetPeriod.Day)]
    [InlineData(1, (BudgetPeriod)42)]
    public void Constructor_ANegativeLimitOrUnknownPeriod_IsRefused(int limitUsd, BudgetPeriod period)
    {
        Action act = () => _ = new BudgetLedger([new BudgetLimit("t", period, limitUsd)]);

        act.Should().Throw<ArgumentException>().WithMessage("Budget limit #1 (*) must have a known period*")
            .Which.ParamName.Should().Be("limits");
    }

    [Fact]
    public async Task TryReserve_ConcurrentRequests_NeverOverTheLimit()
    {
        var ledger = new BudgetLedger([new BudgetLimit("t", BudgetPeriod.Day, 1.00m)], _time);
        ledger.RecordSpend("t", 0.90m);
        int admitted = 0;

        await Parallel.ForAsync(0, 64, async (_, _) =>
        {
            await Task.Yield();
            var reservation = new BudgetReservation("t");
            if (ledger.TryReserve(reservation, 0.05m, _time.GetUtcNow()).IsAvailable)
            {
                Interlocked.Increment(ref admitted);
            }
        });

        admitted.Should().Be(2);
        BudgetStatus status = ledger.GetStatus("t").Single();
        (status.SpentUsd + status.ReservedUsd).Should().Be(1.00m);
    }

    [Fact]
    public void Settle_ReplacesTheEstimateWithTheRealCost_Once()
    {
        var ledger = new BudgetLedger([new BudgetLimit(null, BudgetPeriod.Month, 10m)], _time);
        var reservation = new BudgetReservation("any");
        ledger.TryReserve(reservation, 2m, _time.GetUtcNow()).IsAvailable.Should().BeTrue();
        ledger.TryReserve(reservation, 3m, _time.GetUtcNow()).IsAvailable.Should().BeTrue("a dearer fallback raises it");

        ledger.Settle(reservation, 1.25m);
        ledger.Settle(reservation, 1.25m);

        BudgetStatus status = ledger.GetStatus("any").Single();
        status.SpentUsd.Should().Be(1.25m);
        status.ReservedUsd.Should().Be(0);
        status.RemainingUsd.Should().Be(8.75m);
    }

    [Fact]
    public void TryReserve_Refused_SaysWhenThePeriodEnds_AndTheNextPeriodStartsAfresh()
    {
        var ledger = new BudgetLedger([new BudgetLimit("t", BudgetPeriod.Day, 1m)], _time);
        ledger.RecordSpend("t", 1m);

        var refused = ledger.TryReserve(new BudgetReservation("t"), 0.01m, _time.GetUtcNow());

        refused.IsAvailable.Should().BeFalse();
        refused.AvailableAt.Should().Be(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        refused.Reason.Should().Contain("tenant 't'");
        _time.Advance(TimeSpan.FromHours(1));
        ledger.TryReserve(new BudgetReservation("t"), 0.01m, _time.GetUtcNow()).IsAvailable.Should().BeTrue();
    }

    [Fact]
    public void Limits_OfOtherTenants_DoNotApply()
    {
        var ledger = new BudgetLedger(
            [new BudgetLimit("a", BudgetPeriod.Hour, 0m), new BudgetLimit(null, BudgetPeriod.Hour, 5m)],
            _time);

        ledger.TryReserve(new BudgetReservation("b"), 1m, _time.GetUtcNow()).IsAvailable.Should().BeTrue();
        ledger.TryReserve(new BudgetReservation("a"), 1m, _time.GetUtcNow()).IsAvailable.Should().BeFalse();
        ledger.GetStatus("b").Should().ContainSingle();
        ledger.GetStatus("a").Should().HaveCount(2);
    }
}

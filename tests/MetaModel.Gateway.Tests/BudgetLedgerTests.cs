using MetaModel.DependencyInjection;
using MetaModel.Gateway.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MetaModel.Gateway.Tests;

public sealed class BudgetLedgerTests
{
    private static readonly MetaModelChatClient s_metaModel = BuildMetaModel();

    [Fact]
    public void Remaining_WithoutBudget_IsNull()
    {
        var ledger = new BudgetLedger(new FakeTimeProvider());

        ledger.Remaining(new Tenant("free", s_metaModel, Budget: null)).Should().BeNull();
    }

    [Fact]
    public void Charge_LowersRemainingUntilZeroAndNeverBelow()
    {
        var ledger = new BudgetLedger(new FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero)));
        var tenant = new Tenant("t", s_metaModel, new BudgetOptions { LimitUsd = 1m, Period = BudgetPeriod.Day });

        ledger.Charge(tenant, 0.4m);
        ledger.Remaining(tenant).Should().Be(0.6m);
        ledger.Charge(tenant, 0.9m);
        ledger.Remaining(tenant).Should().Be(0m);
    }

    [Theory]
    [InlineData("Hour", 59, 61)]
    [InlineData("Day", 11 * 60, 13 * 60)]
    [InlineData("Month", 17 * 24 * 60, 18 * 24 * 60)]
    public void Remaining_NewPeriod_StartsAfresh(string periodName, int minutesStillSame, int minutesNext)
    {
        // 2026-03-14 11:00 UTC: an hour, a day and a month then end 60 minutes, 13 hours and 17.5 days later.
        BudgetPeriod period = Enum.Parse<BudgetPeriod>(periodName);
        var start = new DateTimeOffset(2026, 3, 14, 11, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        var ledger = new BudgetLedger(clock);
        var tenant = new Tenant("t", s_metaModel, new BudgetOptions { LimitUsd = 1m, Period = period });
        ledger.Charge(tenant, 1m);

        clock.SetUtcNow(start.AddMinutes(minutesStillSame - 1));
        ledger.Remaining(tenant).Should().Be(0m);
        clock.SetUtcNow(start.AddMinutes(minutesNext));
        ledger.Remaining(tenant).Should().Be(1m);
    }

    [Fact]
    public void Remaining_ClockSetBackAcrossAPeriodStart_DoesNotGrantTheSpentPeriodAgain()
    {
        // The spend of 14 March is reset when the clock reaches 15 March; a clock stepped back into 14 March and then
        // forward again must not reset it twice, which would give the tenant a second budget for 15 March.
        var start = new DateTimeOffset(2026, 3, 15, 0, 0, 30, TimeSpan.Zero);
        var clock = new SteppedClock { Now = start };
        var ledger = new BudgetLedger(clock);
        var tenant = new Tenant("t", s_metaModel, new BudgetOptions { LimitUsd = 1m, Period = BudgetPeriod.Day });
        ledger.Charge(tenant, 1m);

        clock.Now = start.AddMinutes(-1);
        ledger.Remaining(tenant).Should().Be(0m);
        ledger.TryReserve(tenant, 0.1m, out _, out _).Should().BeFalse();
        clock.Now = start.AddMinutes(1);
        ledger.Remaining(tenant).Should().Be(0m);
        ledger.TryReserve(tenant, 0.1m, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Charge_FromManyThreads_AddsUpExactly()
    {
        var ledger = new BudgetLedger(new FakeTimeProvider());
        var tenant = new Tenant("t", s_metaModel, new BudgetOptions { LimitUsd = 1000m, Period = BudgetPeriod.Month });

        Parallel.For(0, 10_000, _ => ledger.Charge(tenant, 0.01m));

        ledger.Remaining(tenant).Should().Be(900m);
    }

    [Fact]
    public void TryReserve_FromManyThreads_AdmitsOnlyWhatFitsBesideSpendAndOtherReservations()
    {
        var ledger = new BudgetLedger(new FakeTimeProvider());
        var tenant = new Tenant("t", s_metaModel, new BudgetOptions { LimitUsd = 1m, Period = BudgetPeriod.Month });
        ledger.Charge(tenant, 0.90m);

        var holds = new System.Collections.Concurrent.ConcurrentBag<BudgetLedger.BudgetHold>();
        Parallel.For(0, 8, i =>
        {
            if (ledger.TryReserve(tenant, 0.05m, out BudgetLedger.BudgetHold? hold, out _))
            {
                holds.Add(hold!);
            }
        });

        holds.Should().HaveCount(2);
        ledger.Remaining(tenant).Should().Be(0m);
        foreach (BudgetLedger.BudgetHold hold in holds)
        {
            ledger.Charge(tenant, 0.04m);
            BudgetLedger.Release(hold);
        }

        ledger.Remaining(tenant).Should().Be(0.02m);
    }

    [Fact]
    public void TryReserve_EstimateAboveWhatIsLeft_IsRefusedAndReservesNothing()
    {
        var ledger = new BudgetLedger(new FakeTimeProvider());
        var tenant = new Tenant("t", s_metaModel, new BudgetOptions { LimitUsd = 1m, Period = BudgetPeriod.Day });
        ledger.Charge(tenant, 0.5m);

        ledger.TryReserve(tenant, 0.6m, out BudgetLedger.BudgetHold? hold, out decimal remaining).Should().BeFalse();

        hold.Should().BeNull();
        remaining.Should().Be(0.5m);
        ledger.Remaining(tenant).Should().Be(0.5m);
        ledger.TryReserve(tenant, 0.5m, out _, out _).Should().BeTrue("an estimate of exactly what is left fits");
    }

    [Fact]
    public void TryReserve_WithoutBudget_AdmitsWithoutAHold()
    {
        var ledger = new BudgetLedger(new FakeTimeProvider());

        ledger.TryReserve(new Tenant("free", s_metaModel, Budget: null), 5m, out BudgetLedger.BudgetHold? hold, out _)
            .Should().BeTrue();
        hold.Should().BeNull();
    }

    [Fact]
    public void Release_Twice_ReleasesOnce()
    {
        var ledger = new BudgetLedger(new FakeTimeProvider());
        var tenant = new Tenant("t", s_metaModel, new BudgetOptions { LimitUsd = 1m, Period = BudgetPeriod.Day });
        ledger.TryReserve(tenant, 0.3m, out BudgetLedger.BudgetHold? first, out _).Should().BeTrue();
        ledger.TryReserve(tenant, 0.3m, out _, out _).Should().BeTrue();

        BudgetLedger.Release(first);
        BudgetLedger.Release(first);

        ledger.Remaining(tenant).Should().Be(0.7m);
    }

    [Fact]
    public void Reservation_OfARequestStillRunning_CarriesOverIntoTheNextPeriod()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 23, 59, 0, TimeSpan.Zero));
        var ledger = new BudgetLedger(clock);
        var tenant = new Tenant("t", s_metaModel, new BudgetOptions { LimitUsd = 1m, Period = BudgetPeriod.Day });
        ledger.Charge(tenant, 0.5m);
        ledger.TryReserve(tenant, 0.3m, out BudgetLedger.BudgetHold? hold, out _).Should().BeTrue();

        clock.Advance(TimeSpan.FromMinutes(2));
        ledger.Remaining(tenant).Should().Be(0.7m, "the new day's spend starts at zero, and the running request still holds 0.3");
        ledger.Charge(tenant, 0.2m);
        BudgetLedger.Release(hold);

        ledger.Remaining(tenant).Should().Be(0.8m);
    }

    [Fact]
    public void TryReserve_NegativeEstimate_IsRefusedWithAnError()
    {
        var ledger = new BudgetLedger(new FakeTimeProvider());
        var tenant = new Tenant("t", s_metaModel, new BudgetOptions { LimitUsd = 1m, Period = BudgetPeriod.Day });

        FluentActions.Invoking(() => ledger.TryReserve(tenant, -1m, out _, out _))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("estimateUsd");
    }

    /// <summary>A clock that can be set back, as a system clock stepped back by time synchronisation.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static MetaModelChatClient BuildMetaModel()
    {
        var services = new ServiceCollection();
        services.AddMetaModel("metamodel").AddCandidate("only", new Infrastructure.ScriptedChatClient("m", "a"));
        return services.BuildServiceProvider().GetRequiredService<MetaModelChatClient>();
    }
}

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
    public void Charge_FromManyThreads_AddsUpExactly()
    {
        var ledger = new BudgetLedger(new FakeTimeProvider());
        var tenant = new Tenant("t", s_metaModel, new BudgetOptions { LimitUsd = 1000m, Period = BudgetPeriod.Month });

        Parallel.For(0, 10_000, _ => ledger.Charge(tenant, 0.01m));

        ledger.Remaining(tenant).Should().Be(900m);
    }

    private static MetaModelChatClient BuildMetaModel()
    {
        var services = new ServiceCollection();
        services.AddMetaModel("metamodel").AddCandidate("only", new Infrastructure.ScriptedChatClient("m", "a"));
        return services.BuildServiceProvider().GetRequiredService<MetaModelChatClient>();
    }
}

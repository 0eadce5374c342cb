using System.Collections.Concurrent;

namespace MetaModel.Gateway.Tenants;

/// <summary>Counts each tenant's spend in its current budget period and admits requests while some is left.</summary>
/// <remarks>
/// Admission compares what was spent so far with the limit; the cost of requests still running is not reserved,
/// so concurrent requests admitted together can overshoot the limit by their own cost. The ledger is in memory:
/// each gateway process counts only its own traffic, and a restart forgets the spend. Thread-safe.
/// </remarks>
internal sealed class BudgetLedger(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.Ordinal);

    /// <summary>Tells how much of the tenant's budget is left in the current period.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <returns>The remaining US dollars, never below zero, or <see langword="null"/> when the tenant has no budget.</returns>
    public decimal? Remaining(Tenant tenant)
    {
        if (tenant.Budget is not { } budget)
        {
            return null;
        }

        Account account = _accounts.GetOrAdd(tenant.Id, static _ => new Account());
        long period = PeriodOf(budget.Period, timeProvider.GetUtcNow());
        lock (account)
        {
            return Math.Max(0, budget.LimitUsd - (account.Period == period ? account.SpentUsd : 0));
        }
    }

    /// <summary>Adds the cost of a finished request to the tenant's current period.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="costUsd">The cost in US dollars.</param>
    public void Charge(Tenant tenant, decimal costUsd)
    {
        if (tenant.Budget is not { } budget || costUsd <= 0)
        {
            return;
        }

        Account account = _accounts.GetOrAdd(tenant.Id, static _ => new Account());
        long period = PeriodOf(budget.Period, timeProvider.GetUtcNow());
        lock (account)
        {
            if (account.Period != period)
            {
                account.Period = period;
                account.SpentUsd = 0;
            }

            account.SpentUsd += costUsd;
        }
    }

    /// <summary>Numbers the period that <paramref name="now"/> falls in.</summary>
    internal static long PeriodOf(BudgetPeriod period, DateTimeOffset now)
    {
        DateTimeOffset utc = now.ToUniversalTime();
        return period switch
        {
            BudgetPeriod.Hour => utc.Ticks / TimeSpan.TicksPerHour,
            BudgetPeriod.Day => utc.Ticks / TimeSpan.TicksPerDay,
            _ => (utc.Year * 12L) + utc.Month - 1,
        };
    }

    private sealed class Account
    {
        public long Period { get; set; } = long.MinValue;

        public decimal SpentUsd { get; set; }
    }
}

using System.Collections.Concurrent;

namespace MetaModel.Gateway.Tenants;

/// <summary>
/// Counts each tenant's spend in its current budget period, and admits a request only if its estimated cost still
/// fits beside what was spent and what the requests still running have reserved.
/// </summary>
/// <remarks>
/// A request reserves its estimate at admission (<see cref="TryReserve"/>); when it ends, its real cost is charged
/// (<see cref="Charge"/>) and the reservation released (<see cref="Release"/>). The check and the reservation happen
/// under one lock, so requests admitted together cannot overrun the limit unless a real cost exceeds its estimate.
/// A new period starts the spend afresh; reservations of requests still running carry over into it. A clock set back
/// into an earlier period starts nothing afresh: the spend stays with the latest period seen. The ledger is in
/// memory: each gateway process counts only its own traffic, and a restart forgets the spend. Thread-safe.
/// </remarks>
internal sealed class BudgetLedger(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.Ordinal);

    /// <summary>Tells how much of the tenant's budget is left in the current period, net of reservations.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <returns>The remaining US dollars, never below zero, or <see langword="null"/> when the tenant has no budget.</returns>
    public decimal? Remaining(Tenant tenant)
    {
        if (tenant.Budget is not { } budget)
        {
            return null;
        }

        Account account = AccountOf(tenant);
        long period = PeriodOf(budget.Period, timeProvider.GetUtcNow());
        lock (account)
        {
            account.Roll(period);
            return Math.Max(0, budget.LimitUsd - account.SpentUsd - account.ReservedUsd);
        }
    }

    /// <summary>Reserves a request's estimated cost if it fits in what is left of the tenant's budget.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="estimateUsd">The request's estimated cost in US dollars, zero or more.</param>
    /// <param name="hold">Receives the reservation to release when the request ends; <see langword="null"/> for a
    /// tenant without a budget, or when the estimate does not fit.</param>
    /// <param name="remainingUsd">Receives what was left before this request, net of other reservations; 0 for a
    /// tenant without a budget.</param>
    /// <returns><see langword="true"/> when the request may start.</returns>
    public bool TryReserve(
        Tenant tenant,
        decimal estimateUsd,
        out BudgetHold? hold,
        out decimal remainingUsd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(estimateUsd);
        hold = null;
        remainingUsd = 0;
        if (tenant.Budget is not { } budget)
        {
            return true;
        }

        Account account = AccountOf(tenant);
        long period = PeriodOf(budget.Period, timeProvider.GetUtcNow());
        lock (account)
        {
            account.Roll(period);
            decimal left = budget.LimitUsd - account.SpentUsd - account.ReservedUsd;
            remainingUsd = Math.Max(0, left);

            // A request that is expected to cost nothing still needs some budget left.
            if (left <= 0 || estimateUsd > left)
            {
                return false;
            }

            account.ReservedUsd += estimateUsd;
        }

        hold = new BudgetHold(account, estimateUsd);
        return true;
    }

    /// <summary>Releases a reservation; releasing <see langword="null"/> or the same hold twice does nothing.</summary>
    /// <param name="hold">The reservation, from <see cref="TryReserve"/>.</param>
    public static void Release(BudgetHold? hold) => hold?.Release();

    /// <summary>Adds the cost of a finished request to the tenant's current period.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="costUsd">The cost in US dollars.</param>
    public void Charge(Tenant tenant, decimal costUsd)
    {
        if (tenant.Budget is not { } budget || costUsd <= 0)
        {
            return;
        }

        Account account = AccountOf(tenant);
        long period = PeriodOf(budget.Period, timeProvider.GetUtcNow());
        lock (account)
        {
            account.Roll(period);
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

    private Account AccountOf(Tenant tenant) => _accounts.GetOrAdd(tenant.Id, static _ => new Account());

    /// <summary>A request's reserved estimate, held until the request ends.</summary>
    internal sealed class BudgetHold
    {
        private readonly Account _account;
        private int _released;

        internal BudgetHold(Account account, decimal amountUsd)
        {
            _account = account;
            AmountUsd = amountUsd;
        }

        /// <summary>Gets the reserved amount in US dollars.</summary>
        public decimal AmountUsd { get; }

        internal void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                lock (_account)
                {
                    _account.ReservedUsd -= AmountUsd;
                }
            }
        }
    }

    internal sealed class Account
    {
        public long Period { get; private set; } = long.MinValue;

        public decimal SpentUsd { get; set; }

        public decimal ReservedUsd { get; set; }

        /// <summary>Starts a new period's spend when <paramref name="period"/> is later than the current one; the
        /// caller holds the account's lock.</summary>
        /// <remarks>A clock set back into an earlier period keeps the current period's spend: going back and forth
        /// across a period's start must not give a tenant the budget of a period it already spent.</remarks>
        public void Roll(long period)
        {
            if (period > Period)
            {
                Period = period;
                SpentUsd = 0;
            }
        }
    }
}

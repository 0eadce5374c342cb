using System.Globalization;
using MetaModel.Resilience;

namespace MetaModel.Costs;

/// <summary>
/// Keeps the spending of every budget per period: each request reserves its estimated cost before it is sent and
/// settles the real cost when it ends, so concurrent requests cannot together overrun a budget.
/// </summary>
/// <remarks>
/// <para>
/// Admission rule: a request may start on a candidate only if, for every limit that applies to it (the limits
/// without a tenant and those of its tenant), spent + reserved + its estimate ≤ the limit. The check and the
/// reservation happen under one lock. A fallback to a dearer candidate raises the reservation under the same rule.
/// When the request ends, its reservation is released and its real cost is added to spent.
/// </para>
/// <para>
/// The estimate is the candidate's price of the estimated prompt plus the request's <c>MaxOutputTokens</c> (or
/// <see cref="MetaModelOptions.ReservedOutputTokens"/> when it sets none). The real cost may exceed the estimate
/// when the provider returns more than was reserved; set <c>MaxOutputTokens</c> for a hard ceiling.
/// </para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public sealed class BudgetLedger
{
    private readonly Lock _lock = new();
    private readonly BudgetLimit[] _limits;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<(int Limit, DateTimeOffset Start), Account> _accounts = [];

    /// <summary>Initializes a new instance of the <see cref="BudgetLedger"/> class.</summary>
    /// <param name="limits">The limits; each with a known period and a limit of zero or more USD.</param>
    /// <param name="timeProvider">
    /// The clock that decides the periods; the system clock when <see langword="null"/>.
    /// </param>
    public BudgetLedger(IEnumerable<BudgetLimit> limits, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits.ToArray();
        for (int i = 0; i < _limits.Length; i++)
        {
            if (_limits[i] is not { LimitUsd: >= 0 } limit || !Enum.IsDefined(limit.Period))
            {
                throw new ArgumentException(
                    $"Budget limit #{i + 1} ({_limits[i]?.ToString() ?? "null"}) must have a known period and a limit of " +
                    "zero or more USD.",
                    nameof(limits));
            }
        }

        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the limits.</summary>
    public IReadOnlyList<BudgetLimit> Limits => _limits;

    internal bool HasLimits => _limits.Length > 0;

    /// <summary>Gets the current period's status of every limit that applies to a tenant's requests.</summary>
    /// <param name="tenantId">The tenant, or <see langword="null"/> for requests that name none.</param>
    /// <returns>One status per applicable limit.</returns>
    public IReadOnlyList<BudgetStatus> GetStatus(string? tenantId)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        var result = new List<BudgetStatus>();
        lock (_lock)
        {
            for (int i = 0; i < _limits.Length; i++)
            {
                if (Applies(_limits[i], tenantId))
                {
                    (DateTimeOffset start, DateTimeOffset end) = PeriodOf(_limits[i].Period, now);
                    Account account = GetAccount(i, start);
                    result.Add(new BudgetStatus(_limits[i], start, end, account.Spent, account.Reserved));
                }
            }
        }

        return result;
    }

    /// <summary>Adds spending made elsewhere, such as what was spent before a restart, to the current period.</summary>
    /// <param name="tenantId">The tenant, or <see langword="null"/>.</param>
    /// <param name="usd">The amount in US dollars; zero or more.</param>
    public void RecordSpend(string? tenantId, decimal usd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(usd);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            for (int i = 0; i < _limits.Length; i++)
            {
                if (Applies(_limits[i], tenantId))
                {
                    GetAccount(i, PeriodOf(_limits[i].Period, now).Start).Spent += usd;
                }
            }
        }
    }

    /// <summary>Tells whether an estimate fits every applicable budget now, without reserving it.</summary>
    internal Availability Check(string? tenantId, decimal estimateUsd, DateTimeOffset now)
    {
        lock (_lock)
        {
            return CheckLocked(tenantId, estimateUsd, now);
        }
    }

    /// <summary>Raises a request's reservation to <paramref name="amountUsd"/> if every budget allows it.</summary>
    internal Availability TryReserve(BudgetReservation reservation, decimal amountUsd, DateTimeOffset now)
    {
        lock (_lock)
        {
            decimal increase = amountUsd - reservation.AmountUsd;
            if (increase <= 0)
            {
                return Availability.Available;
            }

            if (reservation.Holds.Count == 0)
            {
                for (int i = 0; i < _limits.Length; i++)
                {
                    if (Applies(_limits[i], reservation.TenantId))
                    {
                        reservation.Holds.Add((i, PeriodOf(_limits[i].Period, now).Start));
                    }
                }
            }

            foreach ((int index, DateTimeOffset start) in reservation.Holds)
            {
                BudgetLimit limit = _limits[index];
                Account account = GetAccount(index, start);
                if (account.Spent + account.Reserved + increase > limit.LimitUsd)
                {
                    DateTimeOffset end = PeriodOf(limit.Period, start).End;
                    return Availability.Until(end, Describe(limit, account, amountUsd, end));
                }
            }

            foreach ((int index, DateTimeOffset start) in reservation.Holds)
            {
                GetAccount(index, start).Reserved += increase;
            }

            reservation.AmountUsd = amountUsd;
            return Availability.Available;
        }
    }

    /// <summary>Releases a request's reservation and adds its real cost.</summary>
    internal void Settle(BudgetReservation reservation, decimal actualUsd)
    {
        lock (_lock)
        {
            if (reservation.Settled)
            {
                return;
            }

            reservation.Settled = true;
            foreach ((int index, DateTimeOffset start) in reservation.Holds)
            {
                Account account = GetAccount(index, start);
                account.Reserved -= reservation.AmountUsd;
                account.Spent += actualUsd;
            }
        }
    }

    private static bool Applies(BudgetLimit limit, string? tenantId) =>
        limit.TenantId is null || string.Equals(limit.TenantId, tenantId, StringComparison.Ordinal);

    private static (DateTimeOffset Start, DateTimeOffset End) PeriodOf(BudgetPeriod period, DateTimeOffset time)
    {
        DateTimeOffset utc = time.ToUniversalTime();
        DateTimeOffset start = period switch
        {
            BudgetPeriod.Hour => new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero),
            BudgetPeriod.Day => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            _ => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
        };
        DateTimeOffset end = period switch
        {
            BudgetPeriod.Hour => start.AddHours(1),
            BudgetPeriod.Day => start.AddDays(1),
            _ => start.AddMonths(1),
        };
        return (start, end);
    }

    private static string Describe(BudgetLimit limit, Account account, decimal amountUsd, DateTimeOffset end)
    {
        string owner = limit.TenantId is null ? "the shared" : $"tenant '{limit.TenantId}''s";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{owner} {limit.Period.ToString().ToLowerInvariant()} budget of {limit.LimitUsd} USD has {account.Spent} " +
            $"spent and {account.Reserved} reserved, too little for an estimate of {amountUsd} USD, until {end:O}");
    }

    private Availability CheckLocked(string? tenantId, decimal estimateUsd, DateTimeOffset now)
    {
        for (int i = 0; i < _limits.Length; i++)
        {
            BudgetLimit limit = _limits[i];
            if (!Applies(limit, tenantId))
            {
                continue;
            }

            (DateTimeOffset start, DateTimeOffset end) = PeriodOf(limit.Period, now);
            Account account = GetAccount(i, start);
            if (account.Spent + account.Reserved + estimateUsd > limit.LimitUsd)
            {
                return Availability.Until(end, Describe(limit, account, estimateUsd, end));
            }
        }

        return Availability.Available;
    }

    private Account GetAccount(int limitIndex, DateTimeOffset start)
    {
        if (!_accounts.TryGetValue((limitIndex, start), out Account? account))
        {
            // A new period began: drop the finished periods nobody holds a reservation in.
            foreach (KeyValuePair<(int Limit, DateTimeOffset Start), Account> old in _accounts.ToArray())
            {
                if (old.Key.Limit == limitIndex && old.Key.Start < start && old.Value.Reserved == 0)
                {
                    _ = _accounts.Remove(old.Key);
                }
            }

            account = new Account();
            _accounts[(limitIndex, start)] = account;
        }

        return account;
    }

    private sealed class Account
    {
        public decimal Spent { get; set; }

        public decimal Reserved { get; set; }
    }
}

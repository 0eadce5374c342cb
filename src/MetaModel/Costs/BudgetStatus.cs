namespace MetaModel.Costs;

/// <summary>How much of a budget is spent and reserved in the current period.</summary>
/// <param name="Limit">The limit.</param>
/// <param name="PeriodStart">The start of the current period.</param>
/// <param name="PeriodEnd">The end of the current period, when the budget is renewed.</param>
/// <param name="SpentUsd">The settled cost of the period's requests.</param>
/// <param name="ReservedUsd">The estimates reserved by requests still running.</param>
public sealed record BudgetStatus(
    BudgetLimit Limit,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    decimal SpentUsd,
    decimal ReservedUsd)
{
    /// <summary>Gets what is left to reserve: the limit less what is spent and reserved, never negative.</summary>
    public decimal RemainingUsd => Math.Max(0, Limit.LimitUsd - SpentUsd - ReservedUsd);
}

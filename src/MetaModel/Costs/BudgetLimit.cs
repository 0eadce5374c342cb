namespace MetaModel.Costs;

/// <summary>A spending limit for one tenant, or for every request, over a period.</summary>
/// <param name="TenantId">The tenant the limit applies to, or <see langword="null"/> for every request.</param>
/// <param name="Period">The period the spending is counted over.</param>
/// <param name="LimitUsd">The most that may be spent in one period, in US dollars.</param>
public sealed record BudgetLimit(string? TenantId, BudgetPeriod Period, decimal LimitUsd);

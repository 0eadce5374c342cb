using MetaModel.Costs;

namespace MetaModel.DependencyInjection;

/// <summary>The configuration of one spending limit; see <see cref="BudgetLimit"/>.</summary>
public sealed class BudgetConfiguration
{
    /// <summary>Gets or sets the tenant the limit applies to.</summary>
    /// <value>A tenant id, or <see langword="null"/> (the default) for every request.</value>
    public string? TenantId { get; set; }

    /// <summary>Gets or sets the period the spending is counted over.</summary>
    /// <value>The default is <see cref="BudgetPeriod.Day"/>.</value>
    public BudgetPeriod Period { get; set; } = BudgetPeriod.Day;

    /// <summary>Gets or sets the most that may be spent in one period, in US dollars.</summary>
    /// <value>Zero or more; the default is 0.</value>
    public decimal LimitUsd { get; set; }
}

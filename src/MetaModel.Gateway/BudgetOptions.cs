namespace MetaModel.Gateway;

/// <summary>A spend limit per period.</summary>
internal sealed class BudgetOptions
{
    /// <summary>Gets or sets the most a tenant may spend in one period, in US dollars.</summary>
    public decimal LimitUsd { get; set; }

    /// <summary>Gets or sets the period the limit applies to; periods start on UTC calendar boundaries.</summary>
    /// <value>The default is <see cref="BudgetPeriod.Month"/>.</value>
    public BudgetPeriod Period { get; set; } = BudgetPeriod.Month;
}

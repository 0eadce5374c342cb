namespace MetaModel.Costs;

/// <summary>The period a budget is counted over, in UTC on the router's clock.</summary>
public enum BudgetPeriod
{
    /// <summary>Each clock hour.</summary>
    Hour,

    /// <summary>Each UTC day.</summary>
    Day,

    /// <summary>Each calendar month, UTC.</summary>
    Month,
}

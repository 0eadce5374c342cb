namespace MetaModel.Gateway;

/// <summary>The period a budget is counted over; each starts on a UTC calendar boundary.</summary>
internal enum BudgetPeriod
{
    /// <summary>A clock hour.</summary>
    Hour,

    /// <summary>A UTC day.</summary>
    Day,

    /// <summary>A calendar month in UTC.</summary>
    Month,
}

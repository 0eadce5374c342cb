namespace MetaModel.Costs;

/// <summary>The estimate one request holds against every budget that applies to it.</summary>
/// <remarks>Owned by one request; the ledger changes it under its lock.</remarks>
internal sealed class BudgetReservation
{
    public BudgetReservation(string? tenantId)
    {
        TenantId = tenantId;
    }

    public string? TenantId { get; }

    /// <summary>Gets or sets the amount held, in US dollars.</summary>
    public decimal AmountUsd { get; set; }

    /// <summary>Gets the limits (by index) and period starts the amount is held in, one per applicable limit.</summary>
    public List<(int Limit, DateTimeOffset PeriodStart)> Holds { get; } = [];

    /// <summary>Gets or sets a value indicating whether the reservation was settled.</summary>
    public bool Settled { get; set; }
}

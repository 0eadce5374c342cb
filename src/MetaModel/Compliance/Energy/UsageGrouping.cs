namespace MetaModel.Compliance.Energy;

/// <summary>How a usage report groups requests; flags combine, as in candidate and day.</summary>
[Flags]
public enum UsageGrouping
{
    /// <summary>One row for everything.</summary>
    None = 0,

    /// <summary>By the candidate that answered.</summary>
    Candidate = 1,

    /// <summary>By tenant pseudonym.</summary>
    Tenant = 2,

    /// <summary>By UTC day.</summary>
    Day = 4,
}

using MetaModel.Candidates;

namespace MetaModel.Compliance.Energy;

/// <summary>Settings of a <see cref="UsageReport"/>.</summary>
public sealed class UsageReportOptions
{
    /// <summary>Gets or sets how rows are grouped.</summary>
    /// <value>The default is <see cref="UsageGrouping.Candidate"/>.</value>
    public UsageGrouping GroupBy { get; set; } = UsageGrouping.Candidate;

    /// <summary>Gets or sets the stream to report on.</summary>
    /// <value>The default is <see langword="null"/>: every stream of the store.</value>
    public string? Stream { get; set; }

    /// <summary>Gets or sets the earliest outcome time included.</summary>
    /// <value>The default is <see langword="null"/>: no lower bound.</value>
    public DateTimeOffset? From { get; set; }

    /// <summary>Gets or sets the time before which outcomes are included.</summary>
    /// <value>The default is <see langword="null"/>: no upper bound.</value>
    public DateTimeOffset? Until { get; set; }

    /// <summary>Gets or sets a grid carbon intensity (gCO2e/kWh) that replaces the one recorded with each request.</summary>
    /// <value>The default is <see langword="null"/>: each request's recorded intensity, else 436.</value>
    public double? GridCarbonIntensity { get; set; }

    /// <summary>Gets the energy profiles that replace the recorded estimate of a candidate's requests, by candidate id.</summary>
    public IDictionary<string, EnergyProfile> ProfileOverrides { get; } =
        new Dictionary<string, EnergyProfile>(StringComparer.Ordinal);

    /// <summary>Gets or sets the profile used for requests recorded without an energy estimate.</summary>
    /// <value>
    /// The default is <see langword="null"/>: such requests are counted in
    /// <see cref="UsageRow.RequestsWithoutEnergy"/>.
    /// </value>
    public EnergyProfile? FallbackProfile { get; set; }
}

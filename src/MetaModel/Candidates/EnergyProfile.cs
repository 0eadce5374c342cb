namespace MetaModel.Candidates;

/// <summary>The estimated energy a candidate model uses per token, for energy and emissions reporting.</summary>
/// <param name="WattHoursPerThousandInputTokens">Estimated watt-hours for one thousand prompt tokens.</param>
/// <param name="WattHoursPerThousandOutputTokens">Estimated watt-hours for one thousand completion tokens.</param>
/// <param name="Source">Where the estimate comes from (a citation or "user supplied").</param>
public sealed record EnergyProfile(
    double WattHoursPerThousandInputTokens,
    double WattHoursPerThousandOutputTokens,
    string Source)
{
    /// <summary>Estimates the energy of a call with the given token counts.</summary>
    /// <param name="inputTokens">The prompt tokens.</param>
    /// <param name="outputTokens">The completion tokens.</param>
    /// <returns>The estimated energy in watt-hours, to the nearest nanowatt-hour.</returns>
    /// <remarks>The estimate is uncertain by a factor of two or more; rounding it keeps binary fractions such as
    /// 0.022600000000000002 out of records and reports.</remarks>
    public double WattHoursFor(long inputTokens, long outputTokens) => Math.Round(
        (inputTokens * WattHoursPerThousandInputTokens / 1000d) + (outputTokens * WattHoursPerThousandOutputTokens / 1000d),
        9);
}

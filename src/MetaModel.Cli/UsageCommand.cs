using System.Globalization;
using MetaModel.Candidates;
using MetaModel.Compliance.Energy;
using MetaModel.Compliance.Storage;

namespace MetaModel.Cli;

/// <summary><c>metamodel energy</c> and <c>metamodel cost</c>: tables aggregated by candidate, tenant and day.</summary>
internal static class UsageCommand
{
    public static async Task<int> RunAsync(CliArguments args, bool energy, TextWriter output, CancellationToken cancellationToken)
    {
        args.RejectUnknown(
            [.. StoreOpener.Options, "stream", "by", "grid-intensity", "fallback-profile", "profile", "from", "until"]);
        var options = new UsageReportOptions { Stream = args.Get("stream"), GroupBy = ParseGrouping(args.Get("by")) };
        if (args.Get("grid-intensity") is { } intensity)
        {
            if (!double.TryParse(intensity, NumberStyles.Float, CultureInfo.InvariantCulture, out double g) ||
                !double.IsFinite(g) ||
                g < 0)
            {
                throw new CliUsageException($"--grid-intensity must be a number of gCO2e per kWh, not '{intensity}'.");
            }

            options.GridCarbonIntensity = g;
        }

        if (args.Get("fallback-profile") is { } fallback)
        {
            options.FallbackProfile = Profile(fallback);
        }

        // --profile candidate=small,other=large replaces the recorded estimate of those candidates.
        if (args.Get("profile") is { } profiles)
        {
            foreach (string pair in profiles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                string[] parts = pair.Split('=', 2);
                if (parts.Length != 2)
                {
                    throw new CliUsageException($"--profile takes candidate=small|medium|large pairs, not '{pair}'.");
                }

                options.ProfileOverrides[parts[0]] = Profile(parts[1]);
            }
        }

        options.From = Date(args.Get("from"), "from");
        options.Until = Date(args.Get("until"), "until");
        if (options.From >= options.Until)
        {
            // An empty window would print an empty table and exit 0, as if nothing had been used.
            throw new CliUsageException(
                $"--from ({options.From:yyyy-MM-dd HH:mm:ss}) must be before --until ({options.Until:yyyy-MM-dd HH:mm:ss}).");
        }

        await using IComplianceLogStore store = StoreOpener.Open(args);
        IReadOnlyList<string> streams = await store.GetStreamsAsync(cancellationToken).ConfigureAwait(false);
        if (options.Stream is { } stream && !streams.Contains(stream))
        {
            // A misspelt name would otherwise print an empty table and exit 0, as if nothing had been used.
            await output.WriteLineAsync(VerifyCommand.NoSuchStream(stream, streams)).ConfigureAwait(false);
            return ExitCodes.NothingFound;
        }

        if (options.Stream is null && streams.Count > 1)
        {
            // Each stream is usually another metamodel (another router): say that their totals are added together.
            await output.WriteLineAsync(
                $"Sums {streams.Count} streams: {string.Join(", ", streams)}. " +
                "Use --stream NAME for one of them.\n").ConfigureAwait(false);
        }

        IReadOnlyList<UsageRow> rows = await UsageReport.BuildAsync(store, options, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(energy
            ? UsageReport.FormatEnergyTable(rows, options.GroupBy)
            : UsageReport.FormatCostTable(rows, options.GroupBy)).ConfigureAwait(false);
        if (energy)
        {
            await output.WriteLineAsync(
                "\nEnergy is estimated from token counts and each candidate's energy profile; emissions use " +
                (options.GridCarbonIntensity is { } g2
                    ? g2.ToString(CultureInfo.InvariantCulture) + " gCO2e/kWh."
                    : "the grid intensity recorded with each request.") +
                " See docs/energy.md for the method and its uncertainty.").ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static UsageGrouping ParseGrouping(string? by)
    {
        if (by is null)
        {
            return UsageGrouping.Candidate;
        }

        UsageGrouping grouping = UsageGrouping.None;
        foreach (string part in by.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            grouping |= part.ToUpperInvariant() switch
            {
                "CANDIDATE" => UsageGrouping.Candidate,
                "TENANT" => UsageGrouping.Tenant,
                "DAY" => UsageGrouping.Day,
                "NONE" or "ALL" => UsageGrouping.None,
                _ => throw new CliUsageException($"--by takes candidate, tenant, day or none (comma-separated), not '{part}'."),
            };
        }

        return grouping;
    }

    private static EnergyProfile Profile(string name) =>
        EnergyProfiles.FromName(name) ?? throw new CliUsageException(
            $"Unknown energy profile '{name}': use small, medium or large.");

    private static DateTimeOffset? Date(string? value, string name)
    {
        if (value is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(
            value,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal,
            out DateTimeOffset date)
            ? date
            : throw new CliUsageException($"--{name} must be a date such as 2026-01-31, not '{value}'.");
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using MetaModel.Candidates;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Storage;

namespace MetaModel.Compliance.Energy;

/// <summary>Aggregates the outcomes in a decision log into energy, emissions and cost by candidate, tenant and day.</summary>
/// <remarks>
/// <para>
/// Each outcome entry is one request. Its energy is the recorded estimate (tokens × the candidate's
/// <see cref="EnergyProfile"/>), or tokens × an override or fallback profile; emissions = energy (Wh) × grid
/// intensity (g/kWh) / 1000. The tenant comes from the request's decision entry; an outcome whose decision was
/// deleted by retention counts as tenant <c>(unknown)</c>. Memory grows with the number of decisions waiting for
/// their outcome, not with the log's length.
/// </para>
/// </remarks>
public static class UsageReport
{
    /// <summary>The grid carbon intensity used when neither the report nor the record gives one, in gCO2e/kWh.</summary>
    public const double DefaultGridCarbonIntensity = 436;

    /// <summary>Reads the log and aggregates its outcomes.</summary>
    /// <param name="reader">The store.</param>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows, ordered by their group keys.</returns>
    /// <exception cref="InvalidDataException">An entry is not a readable record of its kind, as after an edit.</exception>
    /// <exception cref="ArgumentException">
    /// A setting of <paramref name="options"/> is out of range: a grid intensity or profile figure that is negative,
    /// NaN or infinite, or a <see cref="UsageReportOptions.From"/> not before <see cref="UsageReportOptions.Until"/>.
    /// </exception>
    public static async Task<IReadOnlyList<UsageRow>> BuildAsync(
        IComplianceLogReader reader,
        UsageReportOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new UsageReportOptions();
        Validate(options);

        IReadOnlyList<string> streams = options.Stream is { } one
            ? [one]
            : await reader.GetStreamsAsync(cancellationToken).ConfigureAwait(false);
        var groups = new SortedDictionary<(string, string, DateOnly), Accumulator>();
        foreach (string stream in streams)
        {
            var tenants = new Dictionary<string, string>(StringComparer.Ordinal);
            await foreach (LogEntry entry in reader.ReadAsync(stream, 0, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    Add(entry, tenants, options, groups);
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException
                    or FormatException)
                {
                    throw new InvalidDataException(
                        $"Entry {entry.Sequence} of stream '{stream}' is not a readable {entry.Kind} record: {ex.Message} " +
                        "The log may have been edited; verifying it names every entry that no longer matches its hash.",
                        ex);
                }
            }
        }

        return groups.Select(g => g.Value.ToRow(g.Key, options.GroupBy)).ToList();
    }

    /// <summary>Formats rows as an energy and emissions table.</summary>
    /// <param name="rows">The rows.</param>
    /// <param name="grouping">The grouping the rows were made with.</param>
    /// <returns>A Markdown table.</returns>
    public static string FormatEnergyTable(IReadOnlyList<UsageRow> rows, UsageGrouping grouping)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Format(
            rows,
            grouping,
            ["Requests", "Input tokens", "Output tokens", "Energy (Wh)", "Emissions (gCO2e)", "Without estimate"],
            r =>
            [
                N(r.Requests), N(r.InputTokens), N(r.OutputTokens),
                r.EnergyWh.ToString("0.####", CultureInfo.InvariantCulture),
                r.EmissionsGrams.ToString("0.####", CultureInfo.InvariantCulture),
                N(r.RequestsWithoutEnergy),
            ]);
    }

    /// <summary>Formats rows as a cost table.</summary>
    /// <param name="rows">The rows.</param>
    /// <param name="grouping">The grouping the rows were made with.</param>
    /// <returns>A Markdown table.</returns>
    public static string FormatCostTable(IReadOnlyList<UsageRow> rows, UsageGrouping grouping)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Format(
            rows,
            grouping,
            ["Requests", "Failed", "Failed attempts", "Input tokens", "Output tokens", "Cost (USD)",
                "Requests with estimated cost"],
            r =>
            [
                N(r.Requests), N(r.Failed), N(r.FailedAttempts), N(r.InputTokens), N(r.OutputTokens),
                r.CostUsd.ToString("0.######", CultureInfo.InvariantCulture),
                N(r.EstimatedCostRequests),
            ]);
    }

    /// <summary>Refuses settings that would make every total NaN, negative or empty without saying so.</summary>
    private static void Validate(UsageReportOptions options)
    {
        if (options.GridCarbonIntensity is { } intensity && !(double.IsFinite(intensity) && intensity >= 0))
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"GridCarbonIntensity must be a finite number of at least 0 gCO2e/kWh (was {intensity})."),
                nameof(options));
        }

        foreach ((string candidate, EnergyProfile? profile) in options.ProfileOverrides)
        {
            CheckProfile(profile, $"ProfileOverrides['{candidate}']");
        }

        if (options.FallbackProfile is { } fallback)
        {
            CheckProfile(fallback, nameof(UsageReportOptions.FallbackProfile));
        }

        if (options.From is { } from && options.Until is { } until && from >= until)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"From ({from:O}) must be before Until ({until:O})."),
                nameof(options));
        }

        static void CheckProfile(EnergyProfile? profile, string setting)
        {
            if (profile is null ||
                !double.IsFinite(profile.WattHoursPerThousandInputTokens) || profile.WattHoursPerThousandInputTokens < 0 ||
                !double.IsFinite(profile.WattHoursPerThousandOutputTokens) || profile.WattHoursPerThousandOutputTokens < 0)
            {
                throw new ArgumentException(
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "{0} must be an energy profile of finite figures of at least 0 Wh (was {1} and {2} Wh per " +
                        "thousand input and output tokens).",
                        setting,
                        profile?.WattHoursPerThousandInputTokens,
                        profile?.WattHoursPerThousandOutputTokens),
                    nameof(options));
            }
        }
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(
        IReadOnlyList<UsageRow> rows,
        UsageGrouping grouping,
        string[] columns,
        Func<UsageRow, string[]> values)
    {
        var keys = new List<string>();
        if (grouping.HasFlag(UsageGrouping.Candidate))
        {
            keys.Add("Candidate");
        }

        if (grouping.HasFlag(UsageGrouping.Tenant))
        {
            keys.Add("Tenant");
        }

        if (grouping.HasFlag(UsageGrouping.Day))
        {
            keys.Add("Day");
        }

        if (keys.Count == 0)
        {
            keys.Add("Scope");
        }

        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", keys.Concat(columns)).Append(" |\n");
        text.Append('|').Append(string.Concat(Enumerable.Repeat("---|", keys.Count + columns.Length))).Append('\n');
        foreach (UsageRow row in rows)
        {
            var cells = new List<string>();
            if (grouping.HasFlag(UsageGrouping.Candidate))
            {
                cells.Add(row.Candidate ?? string.Empty);
            }

            if (grouping.HasFlag(UsageGrouping.Tenant))
            {
                cells.Add(row.Tenant is { Length: > 16 } t ? t[..16] : row.Tenant ?? string.Empty);
            }

            if (grouping.HasFlag(UsageGrouping.Day))
            {
                cells.Add(row.Day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty);
            }

            if (grouping == UsageGrouping.None)
            {
                cells.Add("all");
            }

            cells.AddRange(values(row));
            text.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        }

        return text.ToString();
    }

    private static void Add(
        LogEntry entry,
        Dictionary<string, string> tenants,
        UsageReportOptions options,
        SortedDictionary<(string, string, DateOnly), Accumulator> groups)
    {
        if (entry.Kind == LogEntryKind.Decision)
        {
            RememberTenant(entry, tenants);
        }
        else if (entry.Kind is LogEntryKind.Outcome or LogEntryKind.Attempt &&
            (options.From is null || entry.Timestamp >= options.From) &&
            (options.Until is null || entry.Timestamp < options.Until))
        {
            if (entry.Kind == LogEntryKind.Outcome)
            {
                AddOutcome(entry, tenants, options, groups);
            }
            else
            {
                AddAttempt(entry, tenants, options, groups);
            }
        }
    }

    private static void RememberTenant(LogEntry entry, Dictionary<string, string> tenants)
    {
        using JsonDocument document = JsonDocument.Parse(entry.Payload);
        JsonElement root = document.RootElement;
        if (root.TryGetProperty("decisionId", out JsonElement id) && id.GetString() is { } decisionId)
        {
            tenants[decisionId] = root.TryGetProperty("tenantHash", out JsonElement tenant)
                ? tenant.GetString() ?? "(none)"
                : "(none)";
        }
    }

    /// <summary>Counts a failed attempt against its own candidate, which may differ from the one that answered.</summary>
    private static void AddAttempt(
        LogEntry entry,
        Dictionary<string, string> tenants,
        UsageReportOptions options,
        SortedDictionary<(string, string, DateOnly), Accumulator> groups)
    {
        using JsonDocument document = JsonDocument.Parse(entry.Payload);
        JsonElement root = document.RootElement;
        if (root.GetProperty("completed").GetBoolean())
        {
            return;
        }

        string decisionId = root.GetProperty("decisionId").GetString() ?? string.Empty;
        string candidate = root.GetProperty("candidateId").GetString() ?? "(none)";
        string tenant = tenants.TryGetValue(decisionId, out string? known) ? known : "(unknown)";
        GroupOf(groups, options.GroupBy, candidate, tenant, entry.Timestamp).FailedAttempts++;
    }

    private static Accumulator GroupOf(
        SortedDictionary<(string, string, DateOnly), Accumulator> groups,
        UsageGrouping by,
        string candidate,
        string tenant,
        DateTimeOffset timestamp)
    {
        var key = (
            by.HasFlag(UsageGrouping.Candidate) ? candidate : string.Empty,
            by.HasFlag(UsageGrouping.Tenant) ? tenant : string.Empty,
            by.HasFlag(UsageGrouping.Day) ? DateOnly.FromDateTime(timestamp.UtcDateTime) : default);
        if (!groups.TryGetValue(key, out Accumulator? accumulator))
        {
            groups[key] = accumulator = new Accumulator();
        }

        return accumulator;
    }

    private static void AddOutcome(
        LogEntry entry,
        Dictionary<string, string> tenants,
        UsageReportOptions options,
        SortedDictionary<(string, string, DateOnly), Accumulator> groups)
    {
        using JsonDocument document = JsonDocument.Parse(entry.Payload);
        JsonElement root = document.RootElement;
        string decisionId = root.GetProperty("decisionId").GetString() ?? string.Empty;
        string candidate = root.TryGetProperty("answeredBy", out JsonElement answered)
            ? answered.GetString() ?? "(none)"
            : "(none)";
        string tenant = tenants.Remove(decisionId, out string? known) ? known : "(unknown)";
        long input = root.GetProperty("inputTokens").GetInt64();
        long output = root.GetProperty("outputTokens").GetInt64();

        double? energy = root.TryGetProperty("energyWh", out JsonElement wh) && wh.ValueKind == JsonValueKind.Number
            ? wh.GetDouble()
            : null;
        if (options.ProfileOverrides.TryGetValue(candidate, out EnergyProfile? profile))
        {
            energy = profile.WattHoursFor(input, output);
        }
        else if (energy is null && options.FallbackProfile is { } fallback && candidate != "(none)")
        {
            energy = fallback.WattHoursFor(input, output);
        }

        double intensity = options.GridCarbonIntensity
            ?? (root.TryGetProperty("gridIntensity", out JsonElement g) && g.ValueKind == JsonValueKind.Number
                ? g.GetDouble()
                : DefaultGridCarbonIntensity);

        Accumulator accumulator = GroupOf(groups, options.GroupBy, candidate, tenant, entry.Timestamp);
        accumulator.Requests++;
        accumulator.Failed += root.GetProperty("succeeded").GetBoolean() ? 0 : 1;
        accumulator.InputTokens += input;
        accumulator.OutputTokens += output;
        accumulator.CostUsd += root.GetProperty("costUsd").GetDecimal();
        accumulator.EstimatedCost += root.GetProperty("costIsEstimated").GetBoolean() ? 1 : 0;
        if (energy is { } e)
        {
            accumulator.EnergyWh += e;
            accumulator.EmissionsGrams += e * intensity / 1000d;
        }
        else
        {
            accumulator.WithoutEnergy++;
        }
    }

    private sealed class Accumulator
    {
        public long Requests { get; set; }

        public long Failed { get; set; }

        public long FailedAttempts { get; set; }

        public long InputTokens { get; set; }

        public long OutputTokens { get; set; }

        public decimal CostUsd { get; set; }

        public long EstimatedCost { get; set; }

        public double EnergyWh { get; set; }

        public double EmissionsGrams { get; set; }

        public long WithoutEnergy { get; set; }

        public UsageRow ToRow((string Candidate, string Tenant, DateOnly Day) key, UsageGrouping by) => new(
            by.HasFlag(UsageGrouping.Candidate) ? key.Candidate : null,
            by.HasFlag(UsageGrouping.Tenant) ? key.Tenant : null,
            by.HasFlag(UsageGrouping.Day) ? key.Day : null,
            Requests,
            Failed,
            InputTokens,
            OutputTokens,
            CostUsd,
            EstimatedCost,
            EnergyWh,
            EmissionsGrams,
            WithoutEnergy)
        {
            FailedAttempts = FailedAttempts,
        };
    }
}

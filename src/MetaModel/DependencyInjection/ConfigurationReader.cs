using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace MetaModel.DependencyInjection;

/// <summary>
/// Reads a <see cref="MetaModelConfiguration"/> section, collecting every problem instead of stopping at the first.
/// </summary>
internal static partial class ConfigurationReader
{
    private static readonly Action<BinderOptions> s_strict = o => o.ErrorOnUnknownConfiguration = true;

    private static readonly Dictionary<string, string> s_settings = typeof(MetaModelConfiguration)
        .GetProperties()
        .ToDictionary(p => p.Name, p => p.Name, StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> s_lists = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(MetaModelConfiguration.Candidates),
        nameof(MetaModelConfiguration.Budgets),
        nameof(MetaModelConfiguration.Constraints),
        nameof(MetaModelConfiguration.TenantConstraints),
    };

    public static MetaModelConfiguration Read(
        IConfiguration section,
        List<string> problems,
        List<string> candidatePaths)
    {
        var configuration = new MetaModelConfiguration();

        // Bind the scalar settings and the policy first, then each candidate and constraint on its own, so that one
        // bad entry does not hide the problems of the others.
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (s_lists.Contains(child.Key) && !child.GetChildren().Any() && !string.IsNullOrEmpty(child.Value))
            {
                // A list written as one value ("Candidates": "small") would otherwise read as an empty list.
                problems.Add($"Configuration {child.Path}: expected a list of entries, not the value '{child.Value}'.");
                continue;
            }

            try
            {
                // Configuration keys are case-insensitive, as the binder treats them: "candidates" is "Candidates".
                switch (s_settings.TryGetValue(child.Key, out string? setting) ? setting : child.Key)
                {
                    case nameof(MetaModelConfiguration.Name):
                        configuration.Name = child.Value;
                        break;
                    case nameof(MetaModelConfiguration.MaxAttemptsPerRequest):
                        configuration.MaxAttemptsPerRequest = child.Get<int>(s_strict);
                        break;
                    case nameof(MetaModelConfiguration.FeedbackCapacity):
                        configuration.FeedbackCapacity = child.Get<int>(s_strict);
                        break;
                    case nameof(MetaModelConfiguration.ReservedOutputTokens):
                        configuration.ReservedOutputTokens = child.Get<int>(s_strict);
                        break;
                    case nameof(MetaModelConfiguration.TaskFeatureSlots):
                        configuration.TaskFeatureSlots = child.Get<int>(s_strict);
                        break;
                    case nameof(MetaModelConfiguration.Failover):
                        var failover = new Resilience.FailoverOptions();
                        BindSettings(child, failover, problems);
                        configuration.Failover = failover;
                        break;
                    case nameof(MetaModelConfiguration.Budgets):
                        foreach (IConfigurationSection entry in child.GetChildren())
                        {
                            BindEach(entry, configuration.Budgets, problems);
                        }

                        break;
                    case nameof(MetaModelConfiguration.Policy):
                        CheckPolicySection(child, problems);
                        configuration.Policy = new PolicyConfiguration { Name = child["Name"] };
                        break;
                    case nameof(MetaModelConfiguration.Candidates):
                        foreach (IConfigurationSection entry in child.GetChildren())
                        {
                            if (BindEach(entry, configuration.Candidates, problems))
                            {
                                candidatePaths.Add(entry.Path);
                            }
                        }

                        break;
                    case nameof(MetaModelConfiguration.Constraints):
                        foreach (IConfigurationSection entry in child.GetChildren())
                        {
                            BindEach(entry, configuration.Constraints, problems);
                        }

                        break;
                    case nameof(MetaModelConfiguration.TenantConstraints):
                        foreach (IConfigurationSection tenant in child.GetChildren())
                        {
                            var list = new List<ConstraintConfiguration>();
                            foreach (IConfigurationSection entry in tenant.GetChildren())
                            {
                                BindEach(entry, list, problems);
                            }

                            configuration.TenantConstraints[tenant.Key] = list;
                        }

                        break;
                    default:
                        problems.Add($"Configuration {child.Path}: unknown setting '{child.Key}'.");
                        break;
                }
            }
            catch (InvalidOperationException ex)
            {
                problems.Add($"Configuration {child.Path}: {Describe(ex)}");
            }
        }

        return configuration;

        static bool BindEach<T>(IConfigurationSection entry, ICollection<T> into, List<string> problems)
            where T : class, new()
        {
            var item = new T();
            if (!BindSettings(entry, item, problems))
            {
                return false;
            }

            into.Add(item);
            return true;
        }
    }

    /// <summary>
    /// Binds each setting of <paramref name="section"/> to <paramref name="target"/> on its own, so that every unknown
    /// name and every value that cannot be read is reported, not only the first.
    /// </summary>
    /// <returns><see langword="true"/> when every setting was bound.</returns>
    private static bool BindSettings(IConfigurationSection section, object target, List<string> problems)
    {
        int before = problems.Count;
        Type type = target.GetType();
        if (!section.GetChildren().Any() && !string.IsNullOrEmpty(section.Value))
        {
            problems.Add(
                $"Configuration {section.Path}: expected a section of settings ({KnownSettings(type)}), " +
                $"not the value '{section.Value}'.");
            return false;
        }

        var unknown = new List<string>();
        foreach (IConfigurationSection child in section.GetChildren())
        {
            PropertyInfo? property =
                type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !(property.CanWrite || !property.PropertyType.IsValueType))
            {
                unknown.Add(child.Key);
                continue;
            }

            try
            {
                if (property.PropertyType == typeof(Candidates.EnergyProfile) && !child.GetChildren().Any() &&
                    !string.IsNullOrEmpty(child.Value))
                {
                    // A profile by name: "small", "medium" or "large".
                    if (Compliance.Energy.EnergyProfiles.FromName(child.Value) is { } named)
                    {
                        property.SetValue(target, named);
                    }
                    else
                    {
                        problems.Add(
                            $"Configuration {child.Path}: unknown energy profile '{child.Value}'; use small, medium or " +
                            "large, or a section with WattHoursPerThousandInputTokens, WattHoursPerThousandOutputTokens " +
                            "and Source.");
                    }
                }
                else if (property.CanWrite)
                {
                    property.SetValue(target, child.Get(property.PropertyType, s_strict));
                }
                else if (property.GetValue(target) is IDictionary<string, Resilience.CandidateLimits> limits)
                {
                    // One entry per candidate, each bound on its own.
                    foreach (IConfigurationSection entry in child.GetChildren())
                    {
                        var item = new Resilience.CandidateLimits();
                        if (BindSettings(entry, item, problems))
                        {
                            limits[entry.Key] = item;
                        }
                    }
                }
                else
                {
                    child.Bind(property.GetValue(target), s_strict);
                }
            }
            catch (InvalidOperationException ex)
            {
                problems.Add($"Configuration {child.Path}: {Describe(ex)}");
            }
        }

        if (unknown.Count > 0)
        {
            string names = string.Join(", ", unknown.Order(StringComparer.Ordinal).Select(n => $"'{n}'"));
            problems.Add(
                $"Configuration {section.Path}: unknown setting{(unknown.Count > 1 ? "s" : string.Empty)} {names}; " +
                $"the settings here are {KnownSettings(type)}.");
        }

        return problems.Count == before;
    }

    /// <summary>Reports a <c>Policy</c> section that is a plain value or holds names a policy section does not have.</summary>
    private static void CheckPolicySection(IConfigurationSection policy, List<string> problems)
    {
        string[] known = ["Name", "Settings", nameof(PolicyConfiguration.Weights), nameof(PolicyConfiguration.Seed)];
        if (!policy.GetChildren().Any() && !string.IsNullOrEmpty(policy.Value))
        {
            problems.Add(
                $"Configuration {policy.Path}: expected a section with the policy's Name (and its Settings), " +
                $"not the value '{policy.Value}'.");
            return;
        }

        string[] unknown = policy.GetChildren()
            .Select(c => c.Key)
            .Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (unknown.Length > 0)
        {
            problems.Add(
                $"Configuration {policy.Path}: unknown setting{(unknown.Length > 1 ? "s" : string.Empty)} " +
                $"{string.Join(", ", unknown.Select(n => $"'{n}'"))}; the settings here are {string.Join(", ", known)}.");
        }
    }

    private static string KnownSettings(Type type) =>
        string.Join(", ", type.GetProperties().Where(p => p.CanWrite || !p.PropertyType.IsValueType).Select(p => p.Name));

    public static void Apply(MetaModelConfiguration configuration, MetaModelOptions options, List<string> problems)
    {
        if (configuration.MaxAttemptsPerRequest is int attempts)
        {
            options.MaxAttemptsPerRequest = attempts;
        }

        if (configuration.FeedbackCapacity is int capacity)
        {
            options.FeedbackCapacity = capacity;
        }

        if (configuration.ReservedOutputTokens is int reserved)
        {
            options.ReservedOutputTokens = reserved;
        }

        if (configuration.Failover is { } failover)
        {
            options.Failover = failover;
        }

        foreach (BudgetConfiguration budget in configuration.Budgets)
        {
            options.Budgets.Add(new Costs.BudgetLimit(budget.TenantId, budget.Period, budget.LimitUsd));
        }

        if (configuration.Name is { } name && !string.Equals(name, options.Name, StringComparison.Ordinal))
        {
            problems.Add(
                $"The configuration names the metamodel '{name}' but it is registered as '{options.Name}'; " +
                "pass the same name to AddMetaModel.");
        }

        for (int i = 0; i < configuration.Constraints.Count; i++)
        {
            if (configuration.Constraints[i].ToConstraint($"Constraints:{i}", problems) is { } constraint)
            {
                options.Constraints.Add(constraint);
            }
        }

        foreach ((string tenant, List<ConstraintConfiguration> entries) in configuration.TenantConstraints)
        {
            var list = new List<Routing.TagConstraint>();
            for (int i = 0; i < entries.Count; i++)
            {
                if (entries[i].ToConstraint($"TenantConstraints:{tenant}:{i}", problems) is { } constraint)
                {
                    list.Add(constraint);
                }
            }

            options.TenantConstraints[tenant] = list;
        }
    }

    private static string Describe(InvalidOperationException ex)
    {
        // The binder's own text for a misspelt key names its option and the .NET type; say it in the file's terms.
        Match unknown = UnknownProperties().Match(ex.Message);
        if (unknown.Success)
        {
            Type? type = typeof(ConfigurationReader).Assembly.GetType(unknown.Groups["type"].Value);
            string known = type is null ? string.Empty : "; the settings here are " + KnownSettings(type);
            string names = unknown.Groups["names"].Value.Trim();
            return $"unknown setting{(names.Contains("', '", StringComparison.Ordinal) ? "s" : string.Empty)} {names}{known}.";
        }

        return ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message;
    }

    [GeneratedRegex(@"following properties were not found on the instance of (?<type>[\w.+]+): (?<names>.+)$")]
    private static partial Regex UnknownProperties();
}

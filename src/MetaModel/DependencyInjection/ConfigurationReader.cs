using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace MetaModel.DependencyInjection;

/// <summary>
/// Reads a <see cref="MetaModelConfiguration"/> section, collecting every problem instead of stopping at the first.
/// </summary>
internal static partial class ConfigurationReader
{
    private static readonly Action<BinderOptions> s_strict = o => o.ErrorOnUnknownConfiguration = true;

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
            try
            {
                switch (child.Key)
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
                        child.Bind(failover, s_strict);
                        configuration.Failover = failover;
                        break;
                    case nameof(MetaModelConfiguration.Budgets):
                        foreach (IConfigurationSection entry in child.GetChildren())
                        {
                            BindEach(entry, configuration.Budgets, problems);
                        }

                        break;
                    case nameof(MetaModelConfiguration.Policy):
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
            where T : new()
        {
            try
            {
                var item = new T();
                entry.Bind(item, s_strict);
                into.Add(item);
                return true;
            }
            catch (InvalidOperationException ex)
            {
                problems.Add($"Configuration {entry.Path}: {Describe(ex)}");
                return false;
            }
        }
    }

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
            string known = type is null
                ? string.Empty
                : "; the settings here are " + string.Join(", ", type.GetProperties()
                    .Where(p => p.CanWrite || !p.PropertyType.IsValueType)
                    .Select(p => p.Name));
            string names = unknown.Groups["names"].Value.Trim();
            return $"unknown setting{(names.Contains("', '", StringComparison.Ordinal) ? "s" : string.Empty)} {names}{known}.";
        }

        return ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message;
    }

    [GeneratedRegex(@"following properties were not found on the instance of (?<type>[\w.+]+): (?<names>.+)$")]
    private static partial Regex UnknownProperties();
}

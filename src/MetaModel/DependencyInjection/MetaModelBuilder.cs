using System.Reflection;
using MetaModel.Candidates;
using MetaModel.Compliance;
using MetaModel.Features;
using MetaModel.Policies;
using MetaModel.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MetaModel.DependencyInjection;

/// <summary>
/// Configures one metamodel registered with
/// <see cref="MetaModelServiceCollectionExtensions.AddMetaModel(IServiceCollection, string)"/>.
/// </summary>
/// <remarks>
/// Nothing is built until the metamodel is first resolved (or the host starts, which validates it). Then every
/// problem of the configuration is reported at once in a <see cref="MetaModelConfigurationException"/>.
/// </remarks>
public sealed class MetaModelBuilder
{
    private readonly List<(string Id, Func<IServiceProvider, List<string>, IModelCandidate?> Factory)> _candidates = [];
    private readonly Dictionary<string, Func<IServiceProvider, IConfiguration?, IRoutingPolicy>> _policies =
        new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Action<MetaModelOptions>> _configureOptions = [];
    private readonly List<IConfiguration> _configurations = [];
    private readonly List<Action<MetaModelChatClient, IServiceProvider>> _onBuilt = [];
    private Func<IServiceProvider, IRoutingPolicy>? _policy;
    private Func<IServiceProvider, IComplianceRecorder>? _recorder;
    private Func<IServiceProvider, IPromptFeaturizer?>? _featurizer;
    private int _taskSlots;

    internal MetaModelBuilder(IServiceCollection services, string name)
    {
        Services = services;
        Name = name;
        _policies[OrderedRoutingPolicy.PolicyName] = static (_, _) => new OrderedRoutingPolicy();
        _policies[BanditRoutingPolicy.PolicyName] = static (_, section) =>
            new BanditRoutingPolicy(
                ReadSettings<BanditRoutingOptions>(section, BanditRoutingPolicy.PolicyName, o => o.Validate()));
        _policies[CostAwareRoutingPolicy.PolicyName] = static (_, section) =>
            new CostAwareRoutingPolicy(
                ReadSettings<CostAwareRoutingOptions>(section, CostAwareRoutingPolicy.PolicyName, o => o.Validate()));
        _policies[WeightedRoutingPolicy.PolicyName] = static (_, section) =>
        {
            var settings = section?.Get<PolicyConfiguration>() ?? new PolicyConfiguration();
            return new WeightedRoutingPolicy(
                settings.Weights.AsReadOnly(),
                settings.Seed is int seed ? new Random(seed) : null);
        };
    }

    /// <summary>Gets the service collection the metamodel is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the metamodel's name, which is also the service key of its keyed <see cref="IChatClient"/>.</summary>
    public string Name { get; }

    /// <summary>Adds a candidate.</summary>
    /// <param name="candidate">The candidate.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder AddCandidate(IModelCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        _candidates.Add((candidate.Id, (_, _) => candidate));
        return this;
    }

    /// <summary>Adds a candidate served by <paramref name="client"/>.</summary>
    /// <param name="id">The candidate's stable id.</param>
    /// <param name="client">The client.</param>
    /// <param name="configure">Sets prices, context window, capabilities and tags.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder AddCandidate(string id, IChatClient client, Action<CandidateSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        return AddCandidate(id, _ => client, configure);
    }

    /// <summary>Adds a candidate whose client is created from the container when the metamodel is built.</summary>
    /// <param name="id">The candidate's stable id.</param>
    /// <param name="clientFactory">Creates the client.</param>
    /// <param name="configure">Sets prices, context window, capabilities and tags.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder AddCandidate(
        string id,
        Func<IServiceProvider, IChatClient> clientFactory,
        Action<CandidateSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(clientFactory);
        var settings = new CandidateSettings();
        configure?.Invoke(settings);
        _candidates.Add((id, (services, problems) => Create(id, settings, () => clientFactory(services), problems)));
        return this;
    }

    /// <summary>
    /// Adds a candidate served by the keyed <see cref="IChatClient"/> registered under <paramref name="serviceKey"/>.
    /// </summary>
    /// <param name="id">The candidate's stable id.</param>
    /// <param name="serviceKey">The service key of the client.</param>
    /// <param name="configure">Sets prices, context window, capabilities and tags.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder AddKeyedCandidate(string id, object serviceKey, Action<CandidateSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(serviceKey);
        var settings = new CandidateSettings();
        configure?.Invoke(settings);
        _candidates.Add(
            (id, (services, problems) => Create(id, settings, () => ResolveKeyed(services, id, serviceKey, Name), problems)));
        return this;
    }

    /// <summary>Uses <paramref name="policy"/> to rank candidates.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder UsePolicy(IRoutingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = _ => policy;
        return this;
    }

    /// <summary>Uses the policy created by <paramref name="policyFactory"/> to rank candidates.</summary>
    /// <param name="policyFactory">Creates the policy from the container.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder UsePolicy(Func<IServiceProvider, IRoutingPolicy> policyFactory)
    {
        ArgumentNullException.ThrowIfNull(policyFactory);
        _policy = policyFactory;
        return this;
    }

    /// <summary>Tries candidates in registration order. This is the default.</summary>
    /// <returns>This builder.</returns>
    public MetaModelBuilder UseOrderedPolicy() => UsePolicy(new OrderedRoutingPolicy());

    /// <summary>Splits traffic by fixed weights, as for an A/B test.</summary>
    /// <param name="weights">The weight of each candidate id.</param>
    /// <param name="seed">A seed for a reproducible split; unseeded when <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder UseWeightedPolicy(IReadOnlyDictionary<string, double> weights, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return UsePolicy(_ => new WeightedRoutingPolicy(weights, seed is int s ? new Random(s) : null));
    }

    /// <summary>Learns quality per prompt cluster and trades it against cost.</summary>
    /// <param name="configure">Changes the settings.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder UseCostAwarePolicy(Action<CostAwareRoutingOptions>? configure = null)
    {
        var options = new CostAwareRoutingOptions();
        configure?.Invoke(options);
        return UsePolicy(_ => new CostAwareRoutingPolicy(options));
    }

    /// <summary>Learns each candidate's quality per prompt with a contextual bandit and trades it against cost.</summary>
    /// <param name="configure">Changes the settings.</param>
    /// <returns>This builder.</returns>
    /// <remarks>Uses the metamodel's featurizer; without one configured, a <see cref="HashingPromptFeaturizer"/>.</remarks>
    public MetaModelBuilder UseBanditPolicy(Action<BanditRoutingOptions>? configure = null)
    {
        var options = new BanditRoutingOptions();
        configure?.Invoke(options);
        return UsePolicy(_ => new BanditRoutingPolicy(options));
    }

    /// <summary>Makes a policy available by name to configuration (<c>Policy:Name</c>).</summary>
    /// <param name="name">The name, compared ignoring case.</param>
    /// <param name="factory">Creates the policy from the container and the <c>Policy</c> configuration section.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder AddPolicy(string name, Func<IServiceProvider, IConfiguration?, IRoutingPolicy> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        _policies[name] = factory;
        return this;
    }

    /// <summary>Sends every decision, attempt, outcome and feedback to <paramref name="recorder"/>.</summary>
    /// <param name="recorder">The recorder.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder UseRecorder(IComplianceRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        _recorder = _ => recorder;
        return this;
    }

    /// <summary>Sends every record to the recorder created by <paramref name="recorderFactory"/>.</summary>
    /// <param name="recorderFactory">Creates the recorder from the container.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder UseRecorder(Func<IServiceProvider, IComplianceRecorder> recorderFactory)
    {
        ArgumentNullException.ThrowIfNull(recorderFactory);
        _recorder = recorderFactory;
        return this;
    }

    /// <summary>Uses <paramref name="featurizer"/> to describe prompts to the policy.</summary>
    /// <remarks>Without this call, the container's <see cref="IPromptFeaturizer"/> is used, or else a
    /// <see cref="HashingPromptFeaturizer"/> of dimension 64.</remarks>
    /// <param name="featurizer">The featurizer.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder UseFeaturizer(IPromptFeaturizer featurizer)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        _featurizer = _ => featurizer;
        return this;
    }

    /// <summary>
    /// Appends the request's <see cref="MetaModelPropertyNames.Task"/> label to the prompt features, so that a
    /// learning policy learns which candidate suits each kind of request (see <see cref="TaskFeaturizer"/>).
    /// </summary>
    /// <param name="taskSlots">The number of slots the label is hashed into; from 2 to 1,024. The default is 32.</param>
    /// <returns>This builder.</returns>
    /// <remarks>Wraps the featurizer that would be used otherwise (see <see cref="UseFeaturizer"/>).</remarks>
    public MetaModelBuilder UseTaskFeatures(int taskSlots = TaskFeaturizer.DefaultTaskSlots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(taskSlots, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(taskSlots, TaskFeaturizer.MaximumTaskSlots);
        _taskSlots = taskSlots;
        return this;
    }

    /// <summary>Runs <paramref name="callback"/> right after the metamodel is built, such as to record its passport.</summary>
    /// <param name="callback">Receives the built client and the container.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder OnBuilt(Action<MetaModelChatClient, IServiceProvider> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _onBuilt.Add(callback);
        return this;
    }

    /// <summary>Changes the metamodel's settings.</summary>
    /// <param name="configure">Changes the settings.</param>
    /// <returns>This builder.</returns>
    public MetaModelBuilder Configure(Action<MetaModelOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _configureOptions.Add(configure);
        return this;
    }

    /// <summary>Reads settings, candidates and the policy from a configuration section.</summary>
    /// <param name="section">The section, shaped as <see cref="MetaModelConfiguration"/>.</param>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// Each configured candidate is served by the keyed <see cref="IChatClient"/> registered under its
    /// <see cref="CandidateConfiguration.ClientKey"/>. Configured candidates come after those added in code.
    /// </remarks>
    public MetaModelBuilder BindConfiguration(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        _configurations.Add(section);
        return this;
    }

    internal MetaModelChatClient Build(IServiceProvider services)
    {
        var problems = new List<string>();
        var options = new MetaModelOptions { Name = Name };

        // A second AddMetaModel with the same name replaces the first registration: its candidates and settings
        // would be dropped without a word.
        int registrations = Services.Count(d =>
            d.ServiceType == typeof(MetaModelChatClient) && d.IsKeyedService && Equals(d.ServiceKey, Name));
        if (registrations > 1)
        {
            problems.Add(
                $"The metamodel '{Name}' is registered {registrations} times (AddMetaModel was called more than once " +
                "with this name), and only the last registration would be used; call AddMetaModel once per name and add " +
                "everything to its builder, or give each metamodel its own name.");
        }

        var candidates = new List<IModelCandidate>();
        var requestedIds = new List<string>();
        foreach ((string id, var factory) in _candidates)
        {
            requestedIds.Add(id);
            if (factory(services, problems) is { } candidate)
            {
                candidates.Add(candidate);
            }
        }

        Func<IServiceProvider, IRoutingPolicy>? policyFactory = _policy;
        int taskSlots = _taskSlots;
        foreach (IConfiguration section in _configurations)
        {
            if (section is IConfigurationSection { } sectionWithPath && !sectionWithPath.Exists())
            {
                problems.Add($"The configuration section '{sectionWithPath.Path}' is missing or empty.");
                continue;
            }

            var candidatePaths = new List<string>();
            MetaModelConfiguration configuration = ConfigurationReader.Read(section, problems, candidatePaths);
            ConfigurationReader.Apply(configuration, options, problems);
            for (int i = 0; i < configuration.Candidates.Count; i++)
            {
                CandidateConfiguration entry = configuration.Candidates[i];
                if (string.IsNullOrWhiteSpace(entry.Id))
                {
                    problems.Add($"Configuration {candidatePaths[i]} has no Id.");
                    continue;
                }

                requestedIds.Add(entry.Id);

                string key = string.IsNullOrWhiteSpace(entry.ClientKey) ? entry.Id : entry.ClientKey;
                if (Create(entry.Id, entry, () => ResolveKeyed(services, entry.Id, key, Name), problems) is { } candidate)
                {
                    candidates.Add(candidate);
                }
            }

            if (configuration.TaskFeatureSlots is int slots and not 0)
            {
                if (slots is < 2 or > TaskFeaturizer.MaximumTaskSlots)
                {
                    problems.Add(
                        $"Configuration TaskFeatureSlots must be 0 (off) or from 2 to {TaskFeaturizer.MaximumTaskSlots} " +
                        $"(was {slots}).");
                }
                else if (_taskSlots == 0)
                {
                    // UseTaskFeatures in code takes precedence over the section.
                    taskSlots = slots;
                }
            }

            if (configuration.Policy?.Name is { } policyName)
            {
                if (_policies.TryGetValue(policyName, out var named))
                {
                    IConfiguration policySection = section.GetSection("Policy");
                    policyFactory = sp => named(sp, policySection);
                }
                else
                {
                    problems.Add(
                        $"Unknown policy '{policyName}'. Known policies: {string.Join(", ", _policies.Keys.Order())}.");
                }
            }
        }

        foreach (Action<MetaModelOptions> configure in _configureOptions)
        {
            configure(options);
        }

        if (!string.Equals(options.Name, Name, StringComparison.Ordinal))
        {
            problems.Add(
                $"The metamodel is registered as '{Name}' but its settings name it '{options.Name}'; " +
                "pass the name to AddMetaModel instead.");
        }

        IRoutingPolicy? policy = null;
        try
        {
            policy = (policyFactory ?? (_ => new OrderedRoutingPolicy()))(services);
        }
        catch (PolicySettingsException ex)
        {
            problems.AddRange(ex.Problems.Select(problem => $"The {ex.PolicyName} policy's settings: {problem}"));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            problems.Add("The routing policy could not be created: " + ex.Message);
        }

        // A candidate that failed to build still counts for duplicate ids, so both problems are reported together.
        foreach (string duplicate in
            requestedIds.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            problems.Add(ConfigurationValidator.DuplicateIdProblem(duplicate));
        }

        problems.AddRange(ConfigurationValidator.Validate(candidates, options, featurizer: null));
        if (policy is WeightedRoutingPolicy weighted)
        {
            foreach (string id in weighted.Weights.Keys)
            {
                if (!candidates.Exists(c => c.Id == id))
                {
                    problems.Add($"The weighted policy has a weight for '{id}', which is not a candidate.");
                }
            }
        }

        if (policy is Experiments.ExperimentRoutingPolicy experiment)
        {
            problems.AddRange(experiment.Experiment.Validate(candidates.Select(c => c.Id)));
        }

        IPromptFeaturizer featurizer =
            _featurizer?.Invoke(services) ?? services.GetService<IPromptFeaturizer>() ?? new HashingPromptFeaturizer();
        if (taskSlots > 0)
        {
            if (featurizer is TaskFeaturizer)
            {
                problems.Add(
                    "The featurizer already encodes the task label (a TaskFeaturizer); remove UseTaskFeatures or " +
                    "TaskFeatureSlots, or pass its inner featurizer, so that the label is encoded once.");
            }

            featurizer = new TaskFeaturizer(featurizer, taskSlots);
        }

        MetaModelConfigurationException.ThrowIfInvalid(problems.Distinct().ToList());

        var client = new MetaModelChatClient(
            candidates,
            policy!,
            options,
            _recorder?.Invoke(services) ?? services.GetService<IComplianceRecorder>(),
            featurizer,
            services.GetService<TimeProvider>(),
            services.GetService<Microsoft.Extensions.Logging.ILogger<MetaModelChatClient>>());
        foreach (Action<MetaModelChatClient, IServiceProvider> callback in _onBuilt)
        {
            callback(client, services);
        }

        return client;
    }

    private static IChatClient ResolveKeyed(IServiceProvider services, string id, object serviceKey, string metaModelName)
    {
        // The metamodel is itself a keyed IChatClient: resolving it here would be a circular dependency.
        if (serviceKey is string key && string.Equals(key, metaModelName, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Candidate '{id}' names the keyed IChatClient '{key}', which is this metamodel itself; a candidate " +
                "must be another model's client.");
        }

        return services.GetKeyedService<IChatClient>(serviceKey) ??
            throw new InvalidOperationException(
                $"Candidate '{id}' needs a keyed IChatClient registered with key '{serviceKey}', and there is none.");
    }

    /// <summary>
    /// Reads a policy's <c>Settings</c> section one setting at a time, so that an unknown name and every value that
    /// cannot be read are reported together with what <paramref name="validate"/> finds in the rest.
    /// </summary>
    /// <returns>The settings; <see langword="null"/> (the defaults) when the section has none.</returns>
    /// <exception cref="PolicySettingsException">A setting is unknown, unreadable or invalid; lists every problem.</exception>
    private static T? ReadSettings<T>(IConfiguration? policySection, string policyName, Func<T, IReadOnlyList<string>> validate)
        where T : class, new()
    {
        IConfigurationSection? section = policySection?.GetSection("Settings");
        if (section is null || !section.GetChildren().Any())
        {
            return null;
        }

        var settings = new T();
        var problems = new List<string>();
        foreach (IConfigurationSection child in section.GetChildren())
        {
            PropertyInfo? property = typeof(T).GetProperty(
                child.Key,
                BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is not { CanWrite: true })
            {
                problems.Add($"unknown setting '{child.Key}' at {child.Path}.");
                continue;
            }

            try
            {
                property.SetValue(settings, child.Get(property.PropertyType, o => o.ErrorOnUnknownConfiguration = true));
            }
            catch (InvalidOperationException ex)
            {
                problems.Add(ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message);
            }
        }

        if (problems.Count > 0)
        {
            throw new PolicySettingsException(policyName, [.. problems, .. validate(settings)]);
        }

        return settings;
    }

    private static ModelCandidate? Create(string id, CandidateSettings settings, Func<IChatClient> client, List<string> problems)
    {
        int before = problems.Count;
        if (string.IsNullOrWhiteSpace(id))
        {
            problems.Add("A candidate has an empty id.");
        }

        if (settings.InputPricePerMillion < 0 || settings.OutputPricePerMillion < 0)
        {
            problems.Add(
                $"Candidate '{id}' has a negative price (input {settings.InputPricePerMillion}, output " +
                $"{settings.OutputPricePerMillion} USD per million tokens); prices must be zero or more.");
        }

        if (settings.ContextWindow <= 0)
        {
            problems.Add($"Candidate '{id}' has a context window of {settings.ContextWindow}; it must be positive.");
        }

        IChatClient? resolved = null;
        try
        {
            resolved = client();
            if (resolved is null)
            {
                problems.Add($"The client factory of candidate '{id}' returned null.");
            }
        }
        catch (InvalidOperationException ex)
        {
            problems.Add(ex.Message);
        }

        return problems.Count > before || resolved is null
            ? null
            : new ModelCandidate(
                id,
                resolved,
                new ModelPricing(settings.InputPricePerMillion, settings.OutputPricePerMillion),
                settings.ContextWindow,
                settings.Capabilities,
                new Dictionary<string, string>(settings.Tags, StringComparer.Ordinal),
                settings.Energy);
    }
}

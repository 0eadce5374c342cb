using MetaModel.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MetaModel.DependencyInjection;

/// <summary>Registers metamodels in a service collection.</summary>
public static class MetaModelServiceCollectionExtensions
{
    /// <summary>Registers a metamodel and returns a builder to add its candidates, policy and recorder.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The metamodel's name, also the service key of its keyed <see cref="IChatClient"/>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// <para>
    /// Registers, as singletons: a keyed <see cref="IChatClient"/>, <see cref="MetaModelChatClient"/> and
    /// <see cref="IRoutingFeedback"/> under <paramref name="name"/>, and the same three without a key for the first
    /// metamodel registered.
    /// </para>
    /// <para>
    /// The configuration is validated when the host starts (through options validation on start) or, without a host,
    /// when the metamodel is first resolved; every problem is reported at once in a
    /// <see cref="MetaModelConfigurationException"/>.
    /// </para>
    /// </remarks>
    public static MetaModelBuilder AddMetaModel(this IServiceCollection services, string name = MetaModelOptions.DefaultName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var builder = new MetaModelBuilder(services, name);
        services.AddKeyedSingleton(name, (sp, _) => builder.Build(sp));
        services.AddKeyedSingleton<IChatClient>(name, (sp, key) => sp.GetRequiredKeyedService<MetaModelChatClient>(key));
        services.AddKeyedSingleton<IRoutingFeedback>(name, (sp, key) => sp.GetRequiredKeyedService<MetaModelChatClient>(key));
        services.TryAddSingleton(sp => sp.GetRequiredKeyedService<MetaModelChatClient>(name));
        services.TryAdd(ServiceDescriptor.Singleton<IChatClient>(new MetaModelStartupCheck.DefaultClient(name).Resolve));
        services.TryAddSingleton<IRoutingFeedback>(sp => sp.GetRequiredKeyedService<MetaModelChatClient>(name));

        // Building the client on start makes a hosted application fail at startup, listing every problem.
        services.AddOptions<MetaModelStartupCheck>(name).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetaModelStartupCheck>>(
            sp => new MetaModelStartupCheck.Validator(sp, name, services));
        return builder;
    }

    /// <summary>Registers a metamodel described by a configuration section.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">
    /// The section, shaped as <see cref="MetaModelConfiguration"/>; its <c>Name</c> names the metamodel.
    /// </param>
    /// <returns>The builder, to add more in code.</returns>
    public static MetaModelBuilder AddMetaModel(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        string name = section["Name"] is { Length: > 0 } configured ? configured : MetaModelOptions.DefaultName;
        return services.AddMetaModel(name).BindConfiguration(section);
    }

    /// <summary>Registers a metamodel and configures it in one call.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds candidates and chooses the policy and recorder.</param>
    /// <returns>The builder.</returns>
    public static MetaModelBuilder AddMetaModel(this IServiceCollection services, Action<MetaModelBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        MetaModelBuilder builder = services.AddMetaModel();
        configure(builder);
        return builder;
    }
}

using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaModel.DependencyInjection;

/// <summary>An options type whose validation builds a metamodel, so a host reports configuration errors at start.</summary>
internal sealed class MetaModelStartupCheck
{
    /// <summary>Validates one metamodel when the host starts.</summary>
    /// <param name="services">The built container.</param>
    /// <param name="metaModelName">The metamodel's name.</param>
    /// <param name="registrations">The registrations the container was built from, to see which plain client wins.</param>
    internal sealed class Validator(IServiceProvider services, string metaModelName, IServiceCollection registrations)
        : IValidateOptions<MetaModelStartupCheck>
    {
        public ValidateOptionsResult Validate(string? name, MetaModelStartupCheck options)
        {
            if (!string.Equals(name, metaModelName, StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Skip;
            }

            try
            {
                _ = services.GetRequiredKeyedService<MetaModelChatClient>(metaModelName);
            }
            catch (MetaModelConfigurationException ex)
            {
                // One failure, the exception's list of every problem: the host joins several failures into one line.
                return ValidateOptionsResult.Fail($"MetaModel '{metaModelName}': {ex.Message}");
            }

            WarnIfThePlainClientIsNotAMetaModel();
            return ValidateOptionsResult.Success;
        }

        /// <summary>
        /// Warns when the last plain <see cref="IChatClient"/> registration, the one the container returns, is the app's
        /// own rather than a metamodel's: requests sent to it would silently bypass routing and the decision log.
        /// </summary>
        private void WarnIfThePlainClientIsNotAMetaModel()
        {
            ServiceDescriptor? winner =
                registrations.LastOrDefault(d => d.ServiceType == typeof(IChatClient) && !d.IsKeyedService);
            if (winner is null || winner.ImplementationFactory?.Target is DefaultClient)
            {
                return;
            }

            string registered = winner.ImplementationType?.FullName
                ?? winner.ImplementationInstance?.GetType().FullName
                ?? "a factory";
            ILogger logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(MetaModelChatClient))
                ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
            Log.PlainChatClientIsNotTheMetaModel(logger, registered, metaModelName);
        }
    }

    /// <summary>Resolves the plain <see cref="IChatClient"/> as the first metamodel; recognizable among registrations.</summary>
    /// <param name="name">The metamodel's name.</param>
    internal sealed class DefaultClient(string name)
    {
        public IChatClient Resolve(IServiceProvider services) => services.GetRequiredKeyedService<MetaModelChatClient>(name);
    }
}

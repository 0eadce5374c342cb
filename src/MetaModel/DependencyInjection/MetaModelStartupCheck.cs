using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MetaModel.DependencyInjection;

/// <summary>An options type whose validation builds a metamodel, so a host reports configuration errors at start.</summary>
internal sealed class MetaModelStartupCheck
{
    internal sealed class Validator(IServiceProvider services, string metaModelName) : IValidateOptions<MetaModelStartupCheck>
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
                return ValidateOptionsResult.Success;
            }
            catch (MetaModelConfigurationException ex)
            {
                return ValidateOptionsResult.Fail(ex.Problems.Select(p => $"MetaModel '{metaModelName}': {p}"));
            }
        }
    }
}

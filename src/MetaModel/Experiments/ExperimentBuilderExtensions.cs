using MetaModel.DependencyInjection;
using MetaModel.Policies;
using MetaModel.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaModel.Experiments;

/// <summary>Runs experiments in a metamodel registered with <c>AddMetaModel</c>.</summary>
public static class ExperimentBuilderExtensions
{
    /// <summary>Routes with an <see cref="ExperimentRoutingPolicy"/> running <paramref name="experiment"/>.</summary>
    /// <param name="builder">The metamodel's builder.</param>
    /// <param name="experiment">The experiment.</param>
    /// <param name="control">
    /// Creates the policy for requests outside the experiment; the ordered policy when <see langword="null"/>.
    /// </param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Replaces the policy chosen so far. The clock is the container's <see cref="TimeProvider"/>, or the system
    /// clock. Arms naming a candidate the metamodel lacks are reported with the other configuration problems.
    /// </remarks>
    public static MetaModelBuilder UseExperiment(
        this MetaModelBuilder builder,
        Experiment experiment,
        Func<IServiceProvider, IRoutingPolicy>? control = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(experiment);
        return builder.UsePolicy(services => new ExperimentRoutingPolicy(
            experiment,
            control?.Invoke(services) ?? new OrderedRoutingPolicy(),
            services.GetService<TimeProvider>()));
    }
}

using MetaModel.Candidates;

namespace MetaModel.DependencyInjection;

/// <summary>The description of a candidate registered through <see cref="MetaModelBuilder"/> or configuration.</summary>
public class CandidateSettings
{
    /// <summary>Gets or sets the price of one million prompt tokens in US dollars.</summary>
    /// <value>The default is 0.</value>
    public decimal InputPricePerMillion { get; set; }

    /// <summary>Gets or sets the price of one million completion tokens in US dollars.</summary>
    /// <value>The default is 0.</value>
    public decimal OutputPricePerMillion { get; set; }

    /// <summary>Gets or sets the context window in tokens.</summary>
    /// <value>The default is <see cref="ModelCandidate.DefaultContextWindow"/>.</value>
    public int ContextWindow { get; set; } = ModelCandidate.DefaultContextWindow;

    /// <summary>Gets or sets what the model can do.</summary>
    /// <value>The default is <see cref="ModelCapabilities.All"/>.</value>
    public ModelCapabilities Capabilities { get; set; } = ModelCapabilities.All;

    /// <summary>Gets the descriptive tags, such as <c>provider</c> and <c>region</c>.</summary>
    public IDictionary<string, string> Tags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the energy profile, or <see langword="null"/> when unknown.</summary>
    public EnergyProfile? Energy { get; set; }
}

using Microsoft.Extensions.AI;

namespace MetaModel.Candidates;

/// <summary>A chat model that MetaModel may route a request to, with what it costs and what it can do.</summary>
/// <remarks>
/// A candidate is identified by <see cref="Id"/>, which is stable across restarts: policies learn per id, and the
/// decision log names candidates by id. Implementations must be immutable and thread-safe.
/// </remarks>
public interface IModelCandidate
{
    /// <summary>Gets the stable identifier, unique within one MetaModel.</summary>
    string Id { get; }

    /// <summary>Gets the client that serves the requests routed to this candidate.</summary>
    IChatClient Client { get; }

    /// <summary>Gets the list prices.</summary>
    ModelPricing Pricing { get; }

    /// <summary>Gets the context window in tokens: prompt plus requested output must fit in it.</summary>
    int ContextWindow { get; }

    /// <summary>Gets what the model can do.</summary>
    ModelCapabilities Capabilities { get; }

    /// <summary>Gets free-form descriptive tags such as <c>provider</c>, <c>region</c> or <c>risk-tier</c>.</summary>
    /// <remarks>Tag constraints compare keys ordinally and values ignoring case.</remarks>
    IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Gets the energy profile, or <see langword="null"/> when no estimate is known.</summary>
    EnergyProfile? Energy { get; }
}

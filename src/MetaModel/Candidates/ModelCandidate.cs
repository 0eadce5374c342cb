using Microsoft.Extensions.AI;

namespace MetaModel.Candidates;

/// <summary>The standard, immutable <see cref="IModelCandidate"/>.</summary>
public sealed class ModelCandidate : IModelCandidate
{
    /// <summary>The context window assumed when none is given.</summary>
    public const int DefaultContextWindow = 128_000;

    private static readonly IReadOnlyDictionary<string, string> s_noTags =
        new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="ModelCandidate"/> class.</summary>
    /// <param name="id">The stable identifier.</param>
    /// <param name="client">The client that serves requests.</param>
    /// <param name="pricing">The list prices.</param>
    /// <param name="contextWindow">The context window in tokens.</param>
    /// <param name="capabilities">What the model can do.</param>
    /// <param name="tags">Descriptive tags, or <see langword="null"/> for none.</param>
    /// <param name="energy">The energy profile, or <see langword="null"/> when unknown.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty, or a price is negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contextWindow"/> is not positive.</exception>
    public ModelCandidate(
        string id,
        IChatClient client,
        ModelPricing pricing = default,
        int contextWindow = DefaultContextWindow,
        ModelCapabilities capabilities = ModelCapabilities.All,
        IReadOnlyDictionary<string, string>? tags = null,
        EnergyProfile? energy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextWindow);
        if (pricing.InputPerMillion < 0 || pricing.OutputPerMillion < 0)
        {
            throw new ArgumentException($"Candidate '{id}' has a negative price; prices must be zero or more.", nameof(pricing));
        }

        Id = id;
        Client = client;
        Pricing = pricing;
        ContextWindow = contextWindow;
        Capabilities = capabilities;
        Tags = tags is null ? s_noTags : new Dictionary<string, string>(tags, StringComparer.Ordinal);
        Energy = energy;
    }

    /// <inheritdoc/>
    public string Id { get; }

    /// <inheritdoc/>
    public IChatClient Client { get; }

    /// <inheritdoc/>
    public ModelPricing Pricing { get; }

    /// <inheritdoc/>
    public int ContextWindow { get; }

    /// <inheritdoc/>
    public ModelCapabilities Capabilities { get; }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <inheritdoc/>
    public EnergyProfile? Energy { get; }

    /// <inheritdoc/>
    public override string ToString() => Id;
}

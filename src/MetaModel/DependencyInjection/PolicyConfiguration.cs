namespace MetaModel.DependencyInjection;

/// <summary>The routing policy as written in configuration.</summary>
public sealed class PolicyConfiguration
{
    /// <summary>Gets or sets the policy's name: <c>ordered</c>, <c>weighted</c>, <c>cost-aware</c>, or one registered
    /// with <see cref="MetaModelBuilder.AddPolicy"/>.</summary>
    /// <value>The default is <c>ordered</c>.</value>
    public string? Name { get; set; }

    /// <summary>Gets the candidate weights of the <c>weighted</c> policy.</summary>
    public IDictionary<string, double> Weights { get; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Gets or sets the random seed of the <c>weighted</c> policy; unseeded when <see langword="null"/>.</summary>
    public int? Seed { get; set; }
}

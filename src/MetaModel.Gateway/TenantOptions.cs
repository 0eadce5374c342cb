namespace MetaModel.Gateway;

/// <summary>One tenant of the gateway: its API keys, the metamodel it uses and its budget.</summary>
internal sealed class TenantOptions
{
    /// <summary>Gets the hashes of the tenant's API keys, as printed by <c>hash-key</c>.</summary>
    public List<string> ApiKeyHashes { get; } = [];

    /// <summary>Gets or sets the name of the metamodel that serves the tenant.</summary>
    /// <value>The default (unkeyed) metamodel when <see langword="null"/>.</value>
    public string? MetaModel { get; set; }

    /// <summary>Gets or sets the tenant's spend limit; unlimited when <see langword="null"/>.</summary>
    public BudgetOptions? Budget { get; set; }
}

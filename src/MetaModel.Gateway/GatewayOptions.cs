namespace MetaModel.Gateway;

/// <summary>Settings of the gateway, read from the <c>Gateway</c> configuration section.</summary>
/// <remarks>
/// <code>
/// "Gateway": {
///   "ApiKeyPepper": "(secret, from the environment: Gateway__ApiKeyPepper)",
///   "MaxRequestBodyBytes": 1048576, "MaxMessages": 256, "MaxCharacters": 400000,
///   "Tenants": {
///     "acme": { "ApiKeyHashes": [ "(64 hex digits)" ], "MetaModel": "metamodel",
///               "Budget": { "LimitUsd": 25, "Period": "Day" } }
///   }
/// }
/// </code>
/// </remarks>
internal sealed class GatewayOptions
{
    /// <summary>The name of the configuration section.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Gets or sets the secret mixed into every API key hash (HMAC-SHA-256 key).</summary>
    /// <value>
    /// At least 16 characters (<see cref="MinPepperLength"/>); no default. Keep it out of files: set it in the environment.
    /// </value>
    public string? ApiKeyPepper { get; set; }

    /// <summary>Gets or sets the largest request body accepted, enforced by Kestrel.</summary>
    /// <value>The default is 1 MiB.</value>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets the most messages one request may carry.</summary>
    /// <value>The default is 256.</value>
    public int MaxMessages { get; set; } = 256;

    /// <summary>Gets or sets the most characters of text all messages of one request may carry together.</summary>
    /// <value>The default is 400,000 (about 100,000 tokens).</value>
    public int MaxCharacters { get; set; } = 400_000;

    /// <summary>Gets the tenants by id.</summary>
    public Dictionary<string, TenantOptions> Tenants { get; } = new(StringComparer.Ordinal);

    /// <summary>The fewest characters a pepper may have.</summary>
    public const int MinPepperLength = 16;

    /// <summary>Checks a pepper: the rule of both the gateway's start and the <c>hash-key</c> command.</summary>
    /// <param name="pepper">The configured pepper, or <see langword="null"/> when none is.</param>
    /// <returns>The problem, naming the pepper's length but never the pepper; <see langword="null"/> when it is valid.</returns>
    public static string? CheckPepper(string? pepper)
    {
        if (pepper is { Length: >= MinPepperLength })
        {
            return null;
        }

        string found = string.IsNullOrEmpty(pepper) ? "it is not set" : $"it has {pepper.Length}";
        return
            $"Gateway:ApiKeyPepper must be set to a secret of at least {MinPepperLength} characters ({found}), for " +
            "example through the environment variable Gateway__ApiKeyPepper; API keys are stored as HMAC-SHA-256 " +
            "hashes keyed by it.";
    }

    /// <summary>Lists every problem of the settings.</summary>
    /// <returns>The problems; empty when the settings are valid.</returns>
    public List<string> Validate()
    {
        var problems = new List<string>();
        if (CheckPepper(ApiKeyPepper) is { } pepperProblem)
        {
            problems.Add(pepperProblem);
        }

        if (MaxRequestBodyBytes < 1024)
        {
            problems.Add($"Gateway:MaxRequestBodyBytes must be at least 1024 (was {MaxRequestBodyBytes}).");
        }

        if (MaxMessages < 1 || MaxCharacters < 1)
        {
            problems.Add("Gateway:MaxMessages and Gateway:MaxCharacters must be positive.");
        }

        if (Tenants.Count == 0)
        {
            problems.Add("Gateway:Tenants is empty: every request would be refused.");
        }

        foreach ((string id, TenantOptions tenant) in Tenants)
        {
            if (tenant.ApiKeyHashes.Count == 0)
            {
                problems.Add($"Gateway:Tenants:{id} has no ApiKeyHashes.");
            }

            foreach (string hash in tenant.ApiKeyHashes)
            {
                if (!ApiKeyHasher.IsWellFormed(hash))
                {
                    problems.Add(
                        $"Gateway:Tenants:{id} has an API key hash that is not 64 hexadecimal digits; store " +
                        "the output of 'hash-key', never the key itself.");
                }
            }

            if (tenant.Budget is { } budget && budget.LimitUsd < 0)
            {
                problems.Add($"Gateway:Tenants:{id}:Budget:LimitUsd must be zero or more (was {budget.LimitUsd}).");
            }
        }

        return problems;
    }
}

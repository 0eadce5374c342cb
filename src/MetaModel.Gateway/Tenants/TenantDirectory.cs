using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MetaModel.Gateway.Tenants;

/// <summary>Finds the tenant of an API key.</summary>
/// <remarks>
/// Every stored hash is compared with <see cref="CryptographicOperations.FixedTimeEquals"/> and the loop never stops
/// early, so the time taken says nothing about which key, or how much of one, matched. Thread-safe: immutable after
/// construction.
/// </remarks>
internal sealed class TenantDirectory
{
    private const string Scheme = "Bearer ";

    private readonly byte[] _pepper;
    private readonly (byte[] Hash, Tenant Tenant)[] _keys;

    public TenantDirectory(IOptions<GatewayOptions> options, IServiceProvider services)
    {
        GatewayOptions settings = options.Value;
        List<string> problems = settings.Validate();
        var keys = new List<(byte[], Tenant)>();
        foreach ((string id, TenantOptions tenantOptions) in settings.Tenants)
        {
            MetaModelChatClient? metaModel = tenantOptions.MetaModel is { Length: > 0 } name
                ? services.GetKeyedService<MetaModelChatClient>(name)
                : services.GetService<MetaModelChatClient>();
            if (metaModel is null)
            {
                problems.Add(
                    $"Gateway:Tenants:{id} uses metamodel '{tenantOptions.MetaModel ?? "(default)"}', which is not " +
                    "registered with AddMetaModel.");
                continue;
            }

            var tenant = new Tenant(id, metaModel, tenantOptions.Budget);
            foreach (string hash in tenantOptions.ApiKeyHashes.Where(ApiKeyHasher.IsWellFormed))
            {
                keys.Add((Convert.FromHexString(hash), tenant));
            }
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(GatewayOptions.SectionName, typeof(GatewayOptions), problems);
        }

        _pepper = System.Text.Encoding.UTF8.GetBytes(settings.ApiKeyPepper!);
        _keys = [.. keys];
    }

    /// <summary>Gets every tenant, each once.</summary>
    public IEnumerable<Tenant> Tenants => _keys.Select(k => k.Tenant).Distinct();

    /// <summary>Tells whether an <c>Authorization</c> header carries no key at all.</summary>
    /// <param name="authorization">The header's value, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when there is no header or only a scheme.</returns>
    public static bool IsMissing(string? authorization) =>
        string.IsNullOrWhiteSpace(authorization) ||
        authorization.Trim().Equals(Scheme.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>Finds the tenant whose key is in an <c>Authorization: Bearer</c> header.</summary>
    /// <param name="authorization">The header's value, or <see langword="null"/>.</param>
    /// <param name="tenant">The tenant, when the key is known.</param>
    /// <returns><see langword="true"/> when the key belongs to a tenant.</returns>
    public bool TryAuthenticate(string? authorization, out Tenant? tenant)
    {
        tenant = null;
        if (authorization is null ||
            authorization.Length <= Scheme.Length ||
            !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        ReadOnlySpan<char> key = authorization.AsSpan(Scheme.Length).Trim();
        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        byte[] keyBytes = System.Text.Encoding.UTF8.GetBytes(key.ToArray());
        HMACSHA256.HashData(_pepper, keyBytes, presented);

        foreach ((byte[] hash, Tenant candidate) in _keys)
        {
            // No early exit: every stored hash is compared whatever matched before.
            if (CryptographicOperations.FixedTimeEquals(hash, presented))
            {
                tenant = candidate;
            }
        }

        return tenant is not null;
    }
}

using System.Text.Json;
using MetaModel.Candidates;
using MetaModel.Gateway.Tenants;
using MetaModel.Gateway.Wire;

namespace MetaModel.Gateway;

/// <summary>Serves <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: the tenant's metamodel and its candidates.</summary>
internal static class Models
{
    /// <summary>Tells whether <paramref name="model"/> names the metamodel or one of its candidates.</summary>
    public static bool Serves(MetaModelChatClient metaModel, string model)
    {
        if (string.Equals(model, metaModel.Options.Name, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (IModelCandidate candidate in metaModel.Candidates)
        {
            if (string.Equals(candidate.Id, model, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static async Task ListAsync(HttpContext context, TenantDirectory tenants)
    {
        if (await AuthenticateAsync(context, tenants).ConfigureAwait(false) is not { } tenant)
        {
            return;
        }

        var list = new ModelList { Data = Entries(tenant.MetaModel).ToArray() };
        context.Response.ContentType = "application/json";
        await JsonSerializer
            .SerializeAsync(context.Response.Body, list, GatewayJsonContext.Default.ModelList, context.RequestAborted)
            .ConfigureAwait(false);
    }

    public static async Task GetAsync(HttpContext context, TenantDirectory tenants, string id)
    {
        if (await AuthenticateAsync(context, tenants).ConfigureAwait(false) is not { } tenant)
        {
            return;
        }

        if (Entries(tenant.MetaModel).FirstOrDefault(e => e.Id == id) is not { } entry)
        {
            await ChatCompletionsEndpoint.WriteErrorAsync(context, GatewayError.ModelNotFound(id)).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await JsonSerializer
            .SerializeAsync(context.Response.Body, entry, GatewayJsonContext.Default.ModelEntry, context.RequestAborted)
            .ConfigureAwait(false);
    }

    private static async Task<Tenant?> AuthenticateAsync(HttpContext context, TenantDirectory tenants)
    {
        string? authorization = context.Request.Headers.Authorization;
        if (tenants.TryAuthenticate(authorization, out Tenant? tenant))
        {
            return tenant;
        }

        await ChatCompletionsEndpoint
            .WriteErrorAsync(context, GatewayError.InvalidApiKey(missing: TenantDirectory.IsMissing(authorization)))
            .ConfigureAwait(false);
        return null;
    }

    private static IEnumerable<ModelEntry> Entries(MetaModelChatClient metaModel)
    {
        yield return new ModelEntry { Id = metaModel.Options.Name, OwnedBy = "metamodel" };
        foreach (IModelCandidate candidate in metaModel.Candidates)
        {
            yield return new ModelEntry
            {
                Id = candidate.Id,
                OwnedBy = candidate.Tags.TryGetValue("provider", out string? provider) ? provider : "metamodel",
            };
        }
    }
}

using MetaModel.Routing;
using Microsoft.Extensions.AI;

namespace MetaModel;

/// <summary>Reads and writes MetaModel's entries on chat options and responses.</summary>
public static class MetaModelChatExtensions
{
    /// <summary>Names the tenant a request is made for; the tenant's constraints then apply.</summary>
    /// <param name="options">The request options.</param>
    /// <param name="tenantId">The tenant id.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static ChatOptions WithTenant(this ChatOptions options, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        (options.AdditionalProperties ??= [])[MetaModelPropertyNames.TenantId] = tenantId;
        return options;
    }

    /// <summary>Labels what the request is for, such as the endpoint or prompt template that made it.</summary>
    /// <param name="options">The request options.</param>
    /// <param name="task">The label; requests with the same label are alike to the router.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <remarks>A learning policy uses the label when the metamodel encodes it (<c>UseTaskFeatures</c>).</remarks>
    public static ChatOptions WithTask(this ChatOptions options, string task)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        (options.AdditionalProperties ??= [])[MetaModelPropertyNames.Task] = task;
        return options;
    }

    /// <summary>Names the end user or session a request is made for.</summary>
    /// <param name="options">The request options.</param>
    /// <param name="userKey">The user or session key.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static ChatOptions WithUser(this ChatOptions options, string userKey)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(userKey);
        (options.AdditionalProperties ??= [])[MetaModelPropertyNames.UserKey] = userKey;
        return options;
    }

    /// <summary>Adds tag constraints that apply to this request only.</summary>
    /// <param name="options">The request options.</param>
    /// <param name="constraints">The constraints, for example <c>TagConstraint.Require("region", "eu")</c>.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static ChatOptions WithConstraints(this ChatOptions options, params TagConstraint[] constraints)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(constraints);
        int missing = Array.IndexOf(constraints, null);
        if (missing >= 0)
        {
            throw new ArgumentException($"The constraint at index {missing} is null.", nameof(constraints));
        }

        options.AdditionalProperties ??= [];
        TagConstraint[] existing = options.AdditionalProperties.TryGetValue(MetaModelPropertyNames.Constraints, out object? value)
            && value is TagConstraint[] current ? current : [];
        TagConstraint[] combined = [.. existing, .. constraints];
        options.AdditionalProperties[MetaModelPropertyNames.Constraints] = combined;
        return options;
    }

    /// <summary>Gets how a response was routed.</summary>
    /// <param name="response">A response returned by a <see cref="MetaModelChatClient"/>.</param>
    /// <returns>The routing details, or <see langword="null"/> when the response did not come from MetaModel.</returns>
    public static RoutingInfo? GetRoutingInfo(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(MetaModelPropertyNames.RoutingInfo, out object? value) == true
            ? value as RoutingInfo
            : null;
    }

    /// <summary>Gets the id of the candidate that produced a streamed update.</summary>
    /// <param name="update">An update yielded by a <see cref="MetaModelChatClient"/>.</param>
    /// <returns>The candidate id, or <see langword="null"/> when the update did not come from MetaModel.</returns>
    public static string? GetCandidateId(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.AdditionalProperties?.TryGetValue(MetaModelPropertyNames.CandidateId, out object? value) == true
            ? value as string
            : null;
    }

    /// <summary>Gets the routing decision id of a streamed update, to report quality feedback later.</summary>
    /// <param name="update">An update yielded by a <see cref="MetaModelChatClient"/>.</param>
    /// <returns>The decision id, or <see langword="null"/> when the update did not come from MetaModel.</returns>
    public static string? GetDecisionId(this ChatResponseUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return update.AdditionalProperties?.TryGetValue(MetaModelPropertyNames.DecisionId, out object? value) == true
            ? value as string
            : null;
    }
}

using Microsoft.Extensions.AI;

namespace MetaModel.Routing;

/// <summary>MetaModel's own entries of a request, read from its options.</summary>
internal readonly record struct RequestContext(
    string? TenantId,
    string? UserKey,
    string? RequestedModel,
    string? PinnedModel,
    IReadOnlyList<TagConstraint>? Constraints,
    string? Task = null)
{
    /// <summary>The request entries that are MetaModel's own and never reach a candidate.</summary>
    private static readonly string[] s_entryNames =
    [
        MetaModelPropertyNames.TenantId,
        MetaModelPropertyNames.UserKey,
        MetaModelPropertyNames.Constraints,
        MetaModelPropertyNames.Task,
    ];

    /// <summary>
    /// Reads MetaModel's entries from <paramref name="options"/> and produces the options candidates receive: a clone
    /// without those entries, or the original when it has none.
    /// </summary>
    public static RequestContext From(ChatOptions? options, string routerName, out ChatOptions? forwarded)
    {
        forwarded = options;
        if (options is null)
        {
            return default;
        }

        string? requested = options.ModelId;
        bool choosesRouter = requested is null ||
            string.Equals(requested, routerName, StringComparison.Ordinal);
        AdditionalPropertiesDictionary? properties = options.AdditionalProperties;
        // A tenant or user of another type must not be dropped silently: the tenant's constraints would not apply.
        string? tenant = ReadString(options, MetaModelPropertyNames.TenantId);
        string? user = ReadString(options, MetaModelPropertyNames.UserKey);
        string? task = ReadString(options, MetaModelPropertyNames.Task);
        IReadOnlyList<TagConstraint>? constraints = properties?.GetValueOrDefault(MetaModelPropertyNames.Constraints) switch
        {
            null => null,
            IReadOnlyList<TagConstraint> list => list,
            IEnumerable<TagConstraint> sequence => sequence.ToArray(),
            object other => throw new ArgumentException(
                $"The request entry '{MetaModelPropertyNames.Constraints}' must hold TagConstraint values, not " +
                $"{other.GetType().Name}.",
                nameof(options)),
        };
        if (constraints is not null)
        {
            for (int i = 0; i < constraints.Count; i++)
            {
                if (constraints[i] is null)
                {
                    throw new ArgumentException(
                        $"The request entry '{MetaModelPropertyNames.Constraints}' holds a null constraint at index {i}.",
                        nameof(options));
                }
            }
        }

        // An entry counts even when its value is null, so that it is removed all the same.
        bool hasEntries = false;
        foreach (string name in s_entryNames)
        {
            hasEntries |= properties?.ContainsKey(name) == true;
        }

        if (requested is not null || hasEntries)
        {
            // The model id names a candidate (or the router itself), not a provider model: candidates use their own.
            forwarded = options.Clone();
            forwarded.ModelId = null;
            if (forwarded.AdditionalProperties is { } copy)
            {
                foreach (string name in s_entryNames)
                {
                    _ = copy.Remove(name);
                }

                if (copy.Count == 0)
                {
                    forwarded.AdditionalProperties = null;
                }
            }
        }

        return new RequestContext(tenant, user, requested, choosesRouter ? null : requested, constraints, task);
    }

    /// <summary>Reads a request entry that must be a string (or a JSON string), refusing a value of another type.</summary>
    private static string? ReadString(ChatOptions options, string name) =>
        options.AdditionalProperties?.GetValueOrDefault(name) switch
        {
            null => null,
            string text => text,
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } json => json.GetString(),
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Null } => null,
            object other => throw new ArgumentException(
                $"The request entry '{name}' must be a string, not {Describe(other)}.",
                nameof(options)),
        };

    private static string Describe(object value) =>
        value is System.Text.Json.JsonElement json ? $"a JSON {json.ValueKind}" : value.GetType().Name;
}

using MetaModel.Candidates;

namespace MetaModel.Routing;

/// <summary>A rule on a candidate's tags that decides whether the candidate may serve a request.</summary>
/// <remarks>
/// Constraints are compliance controls: a candidate that breaks one is excluded before any policy ranks it, and
/// the exclusion is recorded with <see cref="Describe"/>. Keys compare ordinally; values ignore case.
/// </remarks>
public sealed class TagConstraint
{
    private TagConstraint(string key, IReadOnlyList<string> values, bool allow)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException($"A constraint on tag '{key}' needs at least one value.", nameof(values));
        }

        Key = key;
        Values = values.ToArray();
        IsAllowList = allow;
    }

    /// <summary>Gets the tag key the constraint reads.</summary>
    public string Key { get; }

    /// <summary>Gets the values the constraint lists.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>
    /// Gets a value indicating whether the candidate must carry one of <see cref="Values"/> (<see langword="true"/>)
    /// or must not carry any of them (<see langword="false"/>).
    /// </summary>
    public bool IsAllowList { get; }

    /// <summary>Creates a constraint that admits only candidates whose tag <paramref name="key"/> is one of the values.</summary>
    /// <param name="key">The tag key, for example <c>region</c>.</param>
    /// <param name="values">The admitted values, for example <c>eu</c>.</param>
    /// <returns>The constraint. A candidate without the tag is excluded.</returns>
    public static TagConstraint Require(string key, params string[] values) => new(key, values, allow: true);

    /// <summary>Creates a constraint that excludes candidates whose tag <paramref name="key"/> is one of the values.</summary>
    /// <param name="key">The tag key, for example <c>provider</c>.</param>
    /// <param name="values">The refused values.</param>
    /// <returns>The constraint. A candidate without the tag is admitted.</returns>
    public static TagConstraint Forbid(string key, params string[] values) => new(key, values, allow: false);

    /// <summary>Decides whether <paramref name="candidate"/> satisfies this constraint.</summary>
    /// <param name="candidate">The candidate to check.</param>
    /// <returns><see langword="true"/> if the candidate may serve the request.</returns>
    public bool IsSatisfiedBy(IModelCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        bool listed = candidate.Tags.TryGetValue(Key, out string? value) && Contains(value);
        return IsAllowList ? listed : !listed;
    }

    /// <summary>Describes the constraint for logs and exclusion reasons, for example <c>region in [eu]</c>.</summary>
    /// <returns>A short description.</returns>
    public string Describe() => $"{Key} {(IsAllowList ? "in" : "not in")} [{string.Join(", ", Values)}]";

    /// <inheritdoc/>
    public override string ToString() => Describe();

    private bool Contains(string value)
    {
        foreach (string v in Values)
        {
            if (string.Equals(v, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

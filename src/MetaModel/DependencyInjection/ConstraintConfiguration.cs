using MetaModel.Routing;

namespace MetaModel.DependencyInjection;

/// <summary>A tag constraint as written in configuration: a tag and either the values required or those forbidden.</summary>
public sealed class ConstraintConfiguration
{
    /// <summary>Gets or sets the tag key, for example <c>region</c>.</summary>
    public string? Tag { get; set; }

    /// <summary>Gets the values of which the candidate must carry one.</summary>
    public IList<string> Require { get; } = [];

    /// <summary>Gets the values the candidate must not carry.</summary>
    public IList<string> Forbid { get; } = [];

    internal TagConstraint? ToConstraint(string where, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(Tag))
        {
            problems.Add($"{where}: the constraint has no Tag.");
            return null;
        }

        if ((Require.Count == 0) == (Forbid.Count == 0))
        {
            problems.Add($"{where}: the constraint on tag '{Tag}' must list values in exactly one of Require or Forbid.");
            return null;
        }

        return Require.Count > 0 ? TagConstraint.Require(Tag, [.. Require]) : TagConstraint.Forbid(Tag, [.. Forbid]);
    }
}

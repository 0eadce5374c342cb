namespace MetaModel.Routing;

/// <summary>Why a candidate was excluded from a request before ranking.</summary>
public enum ExclusionKind
{
    /// <summary>The request needs a capability the candidate lacks (tools, vision, JSON output, streaming).</summary>
    MissingCapability,

    /// <summary>The estimated prompt plus requested output does not fit the candidate's context window.</summary>
    ContextWindow,

    /// <summary>A tag constraint of the router, the tenant or the request excludes the candidate.</summary>
    Constraint,

    /// <summary>The request pinned another candidate, or a model id that no candidate has.</summary>
    NotRequested,

    /// <summary>The candidate is temporarily unavailable (cooling down, out of capacity or budget).</summary>
    Unavailable,
}

namespace MetaModel.Resilience;

/// <summary>Which attempt timeout expired.</summary>
public enum AttemptTimeoutPhase
{
    /// <summary>No output arrived within <see cref="FailoverOptions.FirstUpdateTimeout"/>.</summary>
    FirstUpdate,

    /// <summary>The whole attempt took longer than <see cref="FailoverOptions.AttemptTimeout"/>.</summary>
    Attempt,
}

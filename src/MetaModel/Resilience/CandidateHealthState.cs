namespace MetaModel.Resilience;

/// <summary>Where a candidate stands in its circuit.</summary>
public enum CandidateHealthState
{
    /// <summary>The circuit is closed: the candidate takes requests.</summary>
    Healthy,

    /// <summary>The circuit is open: no request reaches the candidate until the cooldown deadline.</summary>
    CoolingDown,

    /// <summary>The cooldown has passed: the next request that ranks the candidate is sent as the one probe.</summary>
    AwaitingProbe,

    /// <summary>One probe request is in flight; every other request skips the candidate until it ends.</summary>
    Probing,
}

namespace MetaModel.Resilience;

/// <summary>What the router does after an attempt failed.</summary>
public enum FaultAction
{
    /// <summary>
    /// Try the same candidate again after a delay, when it has retries left and the delay is within bounds;
    /// otherwise fail over.
    /// </summary>
    Retry,

    /// <summary>Try the next candidate.</summary>
    FailOver,

    /// <summary>Try nothing more: the request ends with this error.</summary>
    Stop,
}

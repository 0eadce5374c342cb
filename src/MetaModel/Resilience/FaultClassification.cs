namespace MetaModel.Resilience;

/// <summary>How a failed attempt is understood: its kind, what to do next, and whether it says the candidate is unwell.</summary>
/// <param name="Kind">The kind of fault.</param>
/// <param name="Action">What the router does next.</param>
/// <param name="AffectsHealth">
/// Whether the fault counts against the candidate's health (circuit breaking and cooldown). Faults caused by the
/// request itself, such as an over-long prompt, do not.
/// </param>
/// <param name="StatusCode">The HTTP status, when one was received.</param>
/// <param name="RetryAfter">How long the provider asked to wait, from <c>retry-after-ms</c> or <c>Retry-After</c>.</param>
/// <param name="ErrorCode">The provider's error code, such as <c>context_length_exceeded</c>.</param>
public readonly record struct FaultClassification(
    FaultKind Kind,
    FaultAction Action,
    bool AffectsHealth,
    int? StatusCode = null,
    TimeSpan? RetryAfter = null,
    string? ErrorCode = null)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        string status = StatusCode is { } code ? $" (HTTP {code})" : "";
        string wait = RetryAfter is { } delay ? $", retry after {delay.TotalSeconds:0.###} s" : "";
        return $"{Kind}{status}: {Action}{wait}";
    }
}

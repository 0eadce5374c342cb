using System.Collections;
using MetaModel.Candidates;
using MetaModel.Costs;
using MetaModel.Resilience;
using Microsoft.Extensions.AI;

namespace MetaModel.Routing;

/// <summary>
/// The messages of one routed request, carrying the request's routing state through the platform's failover client.
/// </summary>
/// <remarks>
/// The failover base class hands the messages it was given to client selection and to every attempt. Passing this
/// object as the messages lets selection and attempt reporting find the request's decision without a lookup table,
/// while candidates see an ordinary read-only list of messages. One request's selection and attempt reports run
/// one after another, never concurrently, so the state needs no lock.
/// </remarks>
internal sealed class RoutedRequest : IReadOnlyList<ChatMessage>
{
    private readonly IList<ChatMessage> _messages;
    private readonly HashSet<string> _attempted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _passedOver = new(StringComparer.Ordinal);

    public RoutedRequest(
        IList<ChatMessage> messages,
        string decisionId,
        RoutingDecision decision,
        float[] features,
        int estimatedInputTokens,
        int maxAttempts,
        long startTimestamp)
    {
        _messages = messages;
        DecisionId = decisionId;
        Decision = decision;
        Features = features;
        EstimatedInputTokens = estimatedInputTokens;
        MaxAttempts = maxAttempts;
        StartTimestamp = startTimestamp;
    }

    public string DecisionId { get; }

    public RoutingDecision Decision { get; }

    public float[] Features { get; }

    public int EstimatedInputTokens { get; }

    public int MaxAttempts { get; }

    public long StartTimestamp { get; }

    /// <summary>Gets or sets the tenant, for budgets.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets or sets the tokens counted against a tokens-per-minute limit: prompt plus requested output.</summary>
    public long CapacityTokens { get; init; }

    /// <summary>Gets or sets the output tokens a budget reservation assumes.</summary>
    public int BudgetOutputTokens { get; init; }

    /// <summary>Gets or sets the eligible candidates, which bound the configured fallbacks.</summary>
    public IReadOnlyList<IModelCandidate> Eligible { get; init; } = [];

    /// <summary>
    /// Gets or sets the candidates that could serve the request but were unavailable at admission: failover may use
    /// them, after the ranked ones, once they recover.
    /// </summary>
    public IReadOnlyList<IModelCandidate> Deferred { get; init; } = [];

    /// <summary>Gets or sets until when the request may wait for a passed-over candidate to recover.</summary>
    public DateTimeOffset? WaitUntil { get; init; }

    /// <summary>Gets or sets the budget reservation, or <see langword="null"/> when no budget applies.</summary>
    public BudgetReservation? Reservation { get; init; }

    /// <summary>Gets the candidate of the current (latest) attempt.</summary>
    public IModelCandidate? Current { get; private set; }

    /// <summary>Gets a value indicating whether the current attempt is its candidate's probe.</summary>
    public bool CurrentIsProbe { get; private set; }

    /// <summary>Gets the number of attempts started, retries included.</summary>
    public int AttemptCount { get; private set; }

    /// <summary>Gets the latest attempt's duration.</summary>
    public TimeSpan LastAttemptDuration { get; set; }

    /// <summary>Gets or sets the request's telemetry state, or <see langword="null"/> when nobody listens.</summary>
    public Telemetry.RequestTelemetry? Telemetry { get; set; }
    /// <summary>Gets or sets how the latest failed attempt was classified, until the next attempt starts.</summary>
    public FaultClassification? LastFault { get; set; }

    /// <summary>Gets or sets the smallest context window a further candidate must exceed, after a context-length fault.</summary>
    public int? ContextWindowAbove { get; set; }

    /// <summary>Gets the failed attempts, in order.</summary>
    public List<AttemptFailure> Failures { get; } = [];

    /// <summary>Gets the ranked candidates that were passed over at selection, and why.</summary>
    public List<CandidateExclusion> Skipped { get; } = [];

    /// <summary>Gets the retries made on the current candidate.</summary>
    public int CurrentRetries { get; private set; }

    public int Count => _messages.Count;

    public ChatMessage this[int index] => _messages[index];

    /// <summary>Gets a value indicating whether a ranked or deferred candidate has been neither tried nor passed over.</summary>
    public bool HasUntriedCandidate =>
        Decision.Ranked.Any(s => !WasConsidered(s.Candidate.Id)) || Deferred.Any(c => !WasConsidered(c.Id));

    /// <summary>Whether the candidate was attempted in this request.</summary>
    public bool WasTried(string candidateId) => _attempted.Contains(candidateId);

    /// <summary>Whether the candidate was tried or passed over already in this request.</summary>
    public bool WasConsidered(string candidateId) => _attempted.Contains(candidateId) || _passedOver.Contains(candidateId);

    /// <summary>Passes a candidate over, so that it is not considered again in this request.</summary>
    public void Skip(CandidateExclusion exclusion)
    {
        Skipped.Add(exclusion);
        _ = _passedOver.Add(exclusion.CandidateId);
    }

    /// <summary>
    /// Lets the candidates passed over as unavailable, and never attempted, be considered again after a wait.
    /// </summary>
    public void ReconsiderUnavailable()
    {
        Skipped.RemoveAll(s =>
            s.Kind == ExclusionKind.Unavailable && !_attempted.Contains(s.CandidateId) && _passedOver.Remove(s.CandidateId));
    }

    /// <summary>Starts an attempt on <paramref name="candidate"/>; a retry when it is the current candidate.</summary>
    public void Begin(IModelCandidate candidate, bool isProbe, bool isRetry)
    {
        CurrentRetries = isRetry ? CurrentRetries + 1 : 0;
        Current = candidate;
        CurrentIsProbe = isProbe;
        AttemptCount++;
        LastFault = null;
        _ = _attempted.Add(candidate.Id);
    }

    public IEnumerator<ChatMessage> GetEnumerator() => _messages.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

using System.Collections;
using MetaModel.Candidates;
using Microsoft.Extensions.AI;

namespace MetaModel.Routing;

/// <summary>
/// The messages of one routed request, carrying the request's routing state through the platform's failover client.
/// </summary>
/// <remarks>
/// The failover base class hands the messages it was given to client selection and to every attempt. Passing this
/// object as the messages lets selection and attempt reporting find the request's decision without a lookup table,
/// while candidates see an ordinary read-only list of messages.
/// </remarks>
internal sealed class RoutedRequest : IReadOnlyList<ChatMessage>
{
    private readonly IList<ChatMessage> _messages;

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

    /// <summary>Gets the index in <see cref="RoutingDecision.Ranked"/> of the next candidate to try.</summary>
    public int NextIndex { get; private set; }

    /// <summary>Gets the candidate of the current (latest) attempt.</summary>
    public IModelCandidate? Current { get; private set; }

    /// <summary>Gets the number of attempts started.</summary>
    public int AttemptCount { get; private set; }

    /// <summary>Gets the latest attempt's duration.</summary>
    public TimeSpan LastAttemptDuration { get; set; }

    /// <summary>Gets or sets the request's telemetry state, or <see langword="null"/> when nobody listens.</summary>
    public Telemetry.RequestTelemetry? Telemetry { get; set; }

    /// <summary>Gets the failed attempts, in order.</summary>
    public List<AttemptFailure> Failures { get; } = [];

    public int Count => _messages.Count;

    public ChatMessage this[int index] => _messages[index];

    /// <summary>Gets a value indicating whether another candidate may still be tried.</summary>
    public bool HasNextCandidate => AttemptCount < MaxAttempts && NextIndex < Decision.Ranked.Count;

    public IModelCandidate? TakeNextCandidate()
    {
        if (!HasNextCandidate)
        {
            return null;
        }

        Current = Decision.Ranked[NextIndex++].Candidate;
        AttemptCount++;
        return Current;
    }

    public IEnumerator<ChatMessage> GetEnumerator() => _messages.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

using System.Collections.Concurrent;

namespace MetaModel.Routing;

/// <summary>Keeps the most recent answered decisions so that quality feedback arriving later can be matched.</summary>
/// <remarks>
/// Bounded: when more than the capacity are kept, the oldest are forgotten first. A response id that a provider
/// gave to several kept decisions (some reuse one id for every answer) names none of them: feedback by it would
/// otherwise land on whichever came last.
/// </remarks>
internal sealed class FeedbackLedger
{
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, Entry> _byDecision = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ResponseLink> _decisionByResponse = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Entry> _order = new();

    public FeedbackLedger(int capacity)
    {
        _capacity = capacity;
    }

    public void Add(Entry entry)
    {
        if (_capacity == 0)
        {
            return;
        }

        _byDecision[entry.DecisionId] = entry;
        if (entry.ResponseId is { } responseId)
        {
            _decisionByResponse.AddOrUpdate(
                responseId,
                static (_, decisionId) => new ResponseLink(decisionId, 1),
                static (_, link, decisionId) => new ResponseLink(
                    string.Equals(link.DecisionId, decisionId, StringComparison.Ordinal) ? decisionId : null,
                    link.Count + 1),
                entry.DecisionId);
        }

        _order.Enqueue(entry);
        while (_order.Count > _capacity && _order.TryDequeue(out Entry? oldest))
        {
            _ = _byDecision.TryRemove(new KeyValuePair<string, Entry>(oldest.DecisionId, oldest));
            if (oldest.ResponseId is { } oldResponse)
            {
                Forget(oldResponse);
            }
        }
    }

    public bool TryFind(string decisionOrResponseId, out Entry entry)
    {
        if (_byDecision.TryGetValue(decisionOrResponseId, out entry!))
        {
            return true;
        }

        return _decisionByResponse.TryGetValue(decisionOrResponseId, out ResponseLink? link) &&
               link.DecisionId is { } decisionId &&
               _byDecision.TryGetValue(decisionId, out entry!);
    }

    /// <summary>Tells whether kept decisions share <paramref name="responseId"/>, so that it names none of them.</summary>
    public bool IsAmbiguous(string responseId) =>
        _decisionByResponse.TryGetValue(responseId, out ResponseLink? link) && link.DecisionId is null;

    private void Forget(string responseId)
    {
        while (_decisionByResponse.TryGetValue(responseId, out ResponseLink? link))
        {
            bool done = link.Count <= 1
                ? _decisionByResponse.TryRemove(new KeyValuePair<string, ResponseLink>(responseId, link))
                : _decisionByResponse.TryUpdate(responseId, link with { Count = link.Count - 1 }, link);
            if (done)
            {
                return;
            }
        }
    }

    /// <summary>The kept decisions a response id was given to.</summary>
    /// <param name="DecisionId">The decision, or <see langword="null"/> when several decisions were given the id.</param>
    /// <param name="Count">How many kept decisions were given the id.</param>
    private sealed record ResponseLink(string? DecisionId, int Count);

    /// <summary>A decision awaiting feedback.</summary>
    internal sealed class Entry(
        string decisionId,
        string? responseId,
        string candidateId,
        ReadOnlyMemory<float> features,
        decimal costUsd,
        TimeSpan latency)
    {
        private int _applied;

        public string DecisionId { get; } = decisionId;

        public string? ResponseId { get; } = responseId;

        public string CandidateId { get; } = candidateId;

        public ReadOnlyMemory<float> Features { get; } = features;

        public decimal CostUsd { get; } = costUsd;

        public TimeSpan Latency { get; } = latency;

        /// <summary>Marks the entry as applied to the policy; returns <see langword="true"/> only the first time.</summary>
        public bool TryMarkApplied() => Interlocked.Exchange(ref _applied, 1) == 0;
    }
}

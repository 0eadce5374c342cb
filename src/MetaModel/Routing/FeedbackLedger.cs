using System.Collections.Concurrent;

namespace MetaModel.Routing;

/// <summary>Keeps the most recent answered decisions so that quality feedback arriving later can be matched.</summary>
/// <remarks>Bounded: when more than the capacity are kept, the oldest are forgotten first.</remarks>
internal sealed class FeedbackLedger
{
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, Entry> _byDecision = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _decisionByResponse = new(StringComparer.Ordinal);
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
            _decisionByResponse[responseId] = entry.DecisionId;
        }

        _order.Enqueue(entry);
        while (_order.Count > _capacity && _order.TryDequeue(out Entry? oldest))
        {
            _ = _byDecision.TryRemove(new KeyValuePair<string, Entry>(oldest.DecisionId, oldest));
            if (oldest.ResponseId is { } oldResponse)
            {
                _ = _decisionByResponse.TryRemove(new KeyValuePair<string, string>(oldResponse, oldest.DecisionId));
            }
        }
    }

    public bool TryFind(string decisionOrResponseId, out Entry entry)
    {
        if (_byDecision.TryGetValue(decisionOrResponseId, out entry!))
        {
            return true;
        }

        return _decisionByResponse.TryGetValue(decisionOrResponseId, out string? decisionId) &&
               _byDecision.TryGetValue(decisionId, out entry!);
    }

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

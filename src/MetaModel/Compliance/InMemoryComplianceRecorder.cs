using System.Collections.Concurrent;

namespace MetaModel.Compliance;

/// <summary>Keeps every record in memory, in arrival order: for tests, samples and short-lived processes.</summary>
/// <remarks>
/// Nothing is persisted and nothing protects the records from being changed by the process; use a durable,
/// tamper-evident recorder in production. Memory grows with every request; <see cref="Clear"/> releases it.
/// </remarks>
public sealed class InMemoryComplianceRecorder : IComplianceRecorder
{
    private readonly ConcurrentQueue<DecisionRecord> _decisions = new();
    private readonly ConcurrentQueue<AttemptRecord> _attempts = new();
    private readonly ConcurrentQueue<OutcomeRecord> _outcomes = new();
    private readonly ConcurrentQueue<FeedbackRecord> _feedback = new();

    /// <summary>Gets the decisions recorded so far.</summary>
    public IReadOnlyList<DecisionRecord> Decisions => _decisions.ToArray();

    /// <summary>Gets the attempts recorded so far.</summary>
    public IReadOnlyList<AttemptRecord> Attempts => _attempts.ToArray();

    /// <summary>Gets the outcomes recorded so far.</summary>
    public IReadOnlyList<OutcomeRecord> Outcomes => _outcomes.ToArray();

    /// <summary>Gets the feedback recorded so far.</summary>
    public IReadOnlyList<FeedbackRecord> Feedback => _feedback.ToArray();

    /// <inheritdoc/>
    public void RecordDecision(DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _decisions.Enqueue(record);
    }

    /// <inheritdoc/>
    public void RecordAttempt(AttemptRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _attempts.Enqueue(record);
    }

    /// <inheritdoc/>
    public void RecordOutcome(OutcomeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _outcomes.Enqueue(record);
    }

    /// <inheritdoc/>
    public void RecordFeedback(FeedbackRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _feedback.Enqueue(record);
    }

    /// <summary>Removes every record.</summary>
    public void Clear()
    {
        _decisions.Clear();
        _attempts.Clear();
        _outcomes.Clear();
        _feedback.Clear();
    }
}

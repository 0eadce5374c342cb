namespace MetaModel.Compliance;

/// <summary>Receives every routing decision, every attempt, every outcome and every later quality score.</summary>
/// <remarks>
/// The methods are called on the request path and must return quickly: a durable recorder should only enqueue.
/// They must be thread-safe and must not throw for a well-formed record; an exception propagates to the caller of
/// the chat client.
/// </remarks>
public interface IComplianceRecorder
{
    /// <summary>Records a decision, including one where no candidate was eligible.</summary>
    /// <param name="record">The decision.</param>
    void RecordDecision(DecisionRecord record);

    /// <summary>Records one candidate invocation.</summary>
    /// <param name="record">The attempt.</param>
    void RecordAttempt(AttemptRecord record);

    /// <summary>Records how a request ended.</summary>
    /// <param name="record">The outcome.</param>
    void RecordOutcome(OutcomeRecord record);

    /// <summary>Records a quality score that arrived later.</summary>
    /// <param name="record">The feedback.</param>
    void RecordFeedback(FeedbackRecord record);
}

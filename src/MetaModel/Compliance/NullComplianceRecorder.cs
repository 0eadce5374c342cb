namespace MetaModel.Compliance;

/// <summary>A recorder that keeps nothing, used when none is configured.</summary>
internal sealed class NullComplianceRecorder : IComplianceRecorder
{
    public static readonly NullComplianceRecorder Instance = new();

    public void RecordDecision(DecisionRecord record)
    {
    }

    public void RecordAttempt(AttemptRecord record)
    {
    }

    public void RecordOutcome(OutcomeRecord record)
    {
    }

    public void RecordFeedback(FeedbackRecord record)
    {
    }
}

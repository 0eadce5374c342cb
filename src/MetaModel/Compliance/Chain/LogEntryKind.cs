namespace MetaModel.Compliance.Chain;

/// <summary>What a log entry holds; the number is part of the hashed encoding and never changes.</summary>
public enum LogEntryKind
{
    /// <summary>A <see cref="DecisionRecord"/>.</summary>
    Decision = 1,

    /// <summary>An <see cref="AttemptRecord"/>.</summary>
    Attempt = 2,

    /// <summary>An <see cref="OutcomeRecord"/>.</summary>
    Outcome = 3,

    /// <summary>A <see cref="FeedbackRecord"/>.</summary>
    Feedback = 4,

    /// <summary>A redacted prompt and answer, written only when content capture is switched on.</summary>
    Content = 5,

    /// <summary>A snapshot of the system passport, written when the metamodel is built.</summary>
    Passport = 6,

    /// <summary>A retention run: which records were deleted and the checkpoint verification resumes from.</summary>
    Retention = 7,

    /// <summary>An admission that records were dropped because the queue was full.</summary>
    Loss = 8,
}

namespace MetaModel.Compliance.Passport;

/// <summary>How decisions are recorded, for the system passport.</summary>
/// <param name="Store">The store's description, without secrets.</param>
/// <param name="Stream">The stream the recorder appends to.</param>
/// <param name="QueueCapacity">The queue's capacity.</param>
/// <param name="MaxBatchSize">The most records per store transaction.</param>
/// <param name="FullMode">What happens when the queue is full.</param>
/// <param name="MaxEnqueueWait">How long a request waits for room.</param>
/// <param name="CaptureContent">Whether prompts and answers are stored, redacted.</param>
/// <param name="RetentionDays">How many days records are kept, or <see langword="null"/> for ever.</param>
/// <param name="GridCarbonIntensity">The grid carbon intensity used for emissions, gCO2e/kWh.</param>
/// <param name="PseudonymizationKeyId">The public name of the pseudonymization key.</param>
public sealed record RecorderDescription(
    string Store,
    string Stream,
    int QueueCapacity,
    int MaxBatchSize,
    string FullMode,
    TimeSpan MaxEnqueueWait,
    bool CaptureContent,
    int? RetentionDays,
    double GridCarbonIntensity,
    string PseudonymizationKeyId);

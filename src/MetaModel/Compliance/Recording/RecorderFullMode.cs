namespace MetaModel.Compliance.Recording;

/// <summary>What recording does on the request path when the recorder's queue is full.</summary>
public enum RecorderFullMode
{
    /// <summary>
    /// The request waits for room, up to <see cref="ComplianceLogOptions.MaxEnqueueWait"/>, and then fails with a
    /// <see cref="ComplianceRecorderFullException"/>: no request goes unrecorded. This is the default.
    /// </summary>
    Wait,

    /// <summary>
    /// The record is dropped at once and counted, and a <see cref="Chain.LogEntryKind.Loss"/> entry saying how many
    /// were dropped is written as soon as the store keeps up: requests never wait, and the log admits every gap.
    /// </summary>
    Drop,
}

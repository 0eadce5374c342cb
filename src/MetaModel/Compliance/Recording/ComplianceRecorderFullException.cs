namespace MetaModel.Compliance.Recording;

/// <summary>
/// Thrown on the request path when the decision log's queue stayed full for the whole allowed wait: the store is
/// down or slower than the traffic, and the request is refused rather than left unrecorded.
/// </summary>
public sealed class ComplianceRecorderFullException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ComplianceRecorderFullException"/> class.</summary>
    /// <param name="capacity">The queue's capacity.</param>
    /// <param name="waited">How long the request waited.</param>
    public ComplianceRecorderFullException(int capacity, TimeSpan waited)
        : base($"The decision log's queue ({capacity} records) stayed full for {waited.TotalMilliseconds:0} ms: the " +
            "log store is unavailable or slower than the traffic. The request was not completed because it could " +
            "not be recorded (RecorderFullMode.Wait).")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ComplianceRecorderFullException"/> class.</summary>
    public ComplianceRecorderFullException()
        : base("The decision log's queue is full.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ComplianceRecorderFullException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ComplianceRecorderFullException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ComplianceRecorderFullException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ComplianceRecorderFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

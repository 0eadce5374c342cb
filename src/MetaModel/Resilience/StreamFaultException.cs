namespace MetaModel.Resilience;

/// <summary>
/// Thrown when a candidate's stream is broken: it ended without a finish reason, sent an update that could not be
/// read, or sent an error after starting normally.
/// </summary>
/// <remarks>
/// Before any output reached the caller this is an ordinary retryable fault; after that the caller receives a
/// <see cref="ResponseIncompleteException"/> wrapping it.
/// </remarks>
public sealed class StreamFaultException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="StreamFaultException"/> class.</summary>
    /// <param name="kind">
    /// <see cref="FaultKind.StreamTruncated"/>, <see cref="FaultKind.StreamMalformed"/> or <see cref="FaultKind.StreamError"/>.
    /// </param>
    /// <param name="candidateId">The candidate whose stream broke.</param>
    /// <param name="updatesReceived">How many updates the candidate had sent, the broken one included.</param>
    /// <param name="message">What happened.</param>
    /// <param name="errorCode">The provider's error code, when the stream carried one.</param>
    public StreamFaultException(
        FaultKind kind,
        string candidateId,
        int updatesReceived,
        string message,
        string? errorCode = null)
        : base(message)
    {
        Kind = kind;
        CandidateId = candidateId;
        UpdatesReceived = updatesReceived;
        ErrorCode = errorCode;
    }

    /// <summary>Initializes a new instance of the <see cref="StreamFaultException"/> class.</summary>
    public StreamFaultException()
        : this(FaultKind.StreamError, string.Empty, 0, "The stream failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StreamFaultException"/> class.</summary>
    /// <param name="message">The message.</param>
    public StreamFaultException(string message)
        : this(FaultKind.StreamError, string.Empty, 0, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StreamFaultException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public StreamFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = FaultKind.StreamError;
        CandidateId = string.Empty;
    }

    /// <summary>Gets the kind of stream fault.</summary>
    public FaultKind Kind { get; }

    /// <summary>Gets the candidate whose stream broke.</summary>
    public string CandidateId { get; }

    /// <summary>Gets how many updates the candidate had sent, the broken one included.</summary>
    public int UpdatesReceived { get; }

    /// <summary>Gets the provider's error code, when the stream carried one.</summary>
    public string? ErrorCode { get; }
}

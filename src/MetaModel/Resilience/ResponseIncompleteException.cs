namespace MetaModel.Resilience;

/// <summary>
/// Thrown to a streaming caller when the answer broke off after some of it had already been delivered, so that a
/// cut answer is never mistaken for a whole one.
/// </summary>
/// <remarks>
/// Nothing is failed over once output reached the caller: another model would start its answer from the beginning.
/// <see cref="Exception.InnerException"/> is the cause; the decision's outcome record is marked truncated with the
/// same update count. Set <see cref="FailoverOptions.IncompleteStreams"/> to
/// <see cref="IncompleteStreamHandling.FinishAsIncomplete"/> to receive a final update instead.
/// </remarks>
public sealed class ResponseIncompleteException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ResponseIncompleteException"/> class.</summary>
    /// <param name="decisionId">The routing decision.</param>
    /// <param name="candidateId">The candidate whose answer broke off.</param>
    /// <param name="updatesDelivered">How many updates reached the caller.</param>
    /// <param name="fault">How the cause was classified.</param>
    /// <param name="innerException">The cause.</param>
    public ResponseIncompleteException(
        string decisionId,
        string candidateId,
        int updatesDelivered,
        FaultClassification fault,
        Exception innerException)
        : base(
            $"The answer of candidate '{candidateId}' broke off after {updatesDelivered} updates ({fault.Kind}): " +
            innerException?.Message,
            innerException)
    {
        DecisionId = decisionId;
        CandidateId = candidateId;
        UpdatesDelivered = updatesDelivered;
        Fault = fault;
    }

    /// <summary>Initializes a new instance of the <see cref="ResponseIncompleteException"/> class.</summary>
    public ResponseIncompleteException()
        : this("The answer broke off.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ResponseIncompleteException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ResponseIncompleteException(string message)
        : base(message)
    {
        DecisionId = string.Empty;
        CandidateId = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="ResponseIncompleteException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ResponseIncompleteException(string message, Exception innerException)
        : base(message, innerException)
    {
        DecisionId = string.Empty;
        CandidateId = string.Empty;
    }

    /// <summary>Gets the routing decision.</summary>
    public string DecisionId { get; }

    /// <summary>Gets the candidate whose answer broke off.</summary>
    public string CandidateId { get; }

    /// <summary>Gets how many updates reached the caller before the break.</summary>
    public int UpdatesDelivered { get; }

    /// <summary>Gets how the cause was classified.</summary>
    public FaultClassification Fault { get; }
}

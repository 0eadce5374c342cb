namespace MetaModel.Routing;

/// <summary>One failed attempt of a request: the candidate tried and the error it gave.</summary>
/// <param name="CandidateId">The candidate.</param>
/// <param name="Error">The error.</param>
/// <param name="Duration">The time spent in the attempt.</param>
public sealed record AttemptFailure(string CandidateId, Exception Error, TimeSpan Duration)
{
    /// <summary>Gets how the error was classified.</summary>
    public MetaModel.Resilience.FaultClassification Fault { get; init; }

    /// <inheritdoc/>
    /// <remarks>Credentials and personal data in the error's message are redacted: provider errors may quote a key.</remarks>
    public override string ToString() =>
        $"{CandidateId}: {Fault.Kind}: {Error.GetType().Name}: " +
        $"{Compliance.Privacy.ContentRedactor.Default.Redact(Error.Message)}";
}

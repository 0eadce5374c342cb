namespace MetaModel.Compliance.Chain;

/// <summary>One thing verification found wrong.</summary>
/// <param name="Sequence">The sequence of the entry concerned (the first one of a range).</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Message">A sentence saying what is wrong and where.</param>
public sealed record ChainProblem(long Sequence, ChainProblemKind Kind, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"sequence {Sequence}: {Kind}: {Message}";
}

namespace MetaModel.Replay;

/// <summary>The recorded result of one model answering one prompt: its score, cost and response.</summary>
/// <remarks>Instances are immutable and safe to share between threads.</remarks>
public sealed class ReplayOutcome
{
    /// <summary>Initializes a new instance of the <see cref="ReplayOutcome"/> class.</summary>
    /// <param name="score">The recorded quality score, or <see langword="null"/> when the data has
    /// none.</param>
    /// <param name="costUsd">The cost of the call in USD.</param>
    /// <param name="costIsEstimated">Whether <paramref name="costUsd"/> is an estimate rather than a billed
    /// amount.</param>
    /// <param name="response">The recorded response text, or <see langword="null"/> when the data has
    /// none.</param>
    /// <param name="inputTokens">The input token count behind an estimated cost, if any.</param>
    /// <param name="outputTokens">The output token count behind an estimated cost, if any.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="score"/> is NaN or infinite, or <paramref name="costUsd"/> or a token count is negative.
    /// </exception>
    public ReplayOutcome(
        double? score,
        decimal costUsd,
        bool costIsEstimated = false,
        string? response = null,
        int? inputTokens = null,
        int? outputTokens = null)
    {
        if (score is { } value && !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(score), value, "A score must be a finite number.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(costUsd);
        if (inputTokens is { } input)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(input, nameof(inputTokens));
        }

        if (outputTokens is { } output)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(output, nameof(outputTokens));
        }

        Score = score;
        CostUsd = costUsd;
        CostIsEstimated = costIsEstimated;
        Response = response;
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
    }

    /// <summary>Gets the recorded quality score of the response.</summary>
    /// <value>
    /// A finite number, usually 0 (wrong) or 1 (right), fractional for partial credit; <see langword="null"/>
    /// when the file has no score for this call (an empty cell, or no score column for the model).
    /// </value>
    public double? Score { get; }

    /// <summary>Gets the cost of the call in USD.</summary>
    /// <value>A non-negative amount: billed for RouterBench, estimated for LLMRouter (see
    /// <see cref="CostIsEstimated"/>).</value>
    public decimal CostUsd { get; }

    /// <summary>Gets a value indicating whether <see cref="CostUsd"/> is an estimate rather than a billed
    /// amount.</summary>
    /// <value><see langword="true"/> when the cost was computed from estimated token counts and list
    /// prices.</value>
    public bool CostIsEstimated { get; }

    /// <summary>Gets the recorded response text.</summary>
    /// <value>The model's answer; <see langword="null"/> when the data does not record responses
    /// (LLMRouter).</value>
    public string? Response { get; }

    /// <summary>Gets the number of input tokens behind an estimated cost.</summary>
    /// <value>The estimated prompt token count; <see langword="null"/> when the cost was recorded, not
    /// estimated.</value>
    public int? InputTokens { get; }

    /// <summary>Gets the number of output tokens behind an estimated cost.</summary>
    /// <value>The assumed response token count; <see langword="null"/> when the cost was recorded, not
    /// estimated.</value>
    public int? OutputTokens { get; }
}

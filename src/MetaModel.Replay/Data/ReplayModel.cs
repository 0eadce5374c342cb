namespace MetaModel.Replay;

/// <summary>A model whose outcomes a <see cref="ReplayDataset"/> records.</summary>
/// <remarks>Instances are immutable and safe to share between threads.</remarks>
public sealed class ReplayModel
{
    /// <summary>Initializes a new instance of the <see cref="ReplayModel"/> class.</summary>
    /// <param name="id">The model id, as the data file names it.</param>
    /// <param name="inputPricePerMillion">The list price in USD per million input tokens, when the data
    /// states it.</param>
    /// <param name="outputPricePerMillion">The list price in USD per million output tokens, when the data
    /// states it.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A price is negative.</exception>
    public ReplayModel(
        string id,
        decimal? inputPricePerMillion = null,
        decimal? outputPricePerMillion = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (inputPricePerMillion is { } input)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(input, nameof(inputPricePerMillion));
        }

        if (outputPricePerMillion is { } output)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(output, nameof(outputPricePerMillion));
        }

        Id = id;
        InputPricePerMillion = inputPricePerMillion;
        OutputPricePerMillion = outputPricePerMillion;
    }

    /// <summary>Gets the model id, as the data file names it.</summary>
    /// <value>A non-empty string, unique within a dataset; compared ordinally.</value>
    public string Id { get; }

    /// <summary>Gets the list price in USD per million input tokens.</summary>
    /// <value>The price from LLMRouter's <c>default_llm.json</c>; <see langword="null"/> for RouterBench,
    /// which records the billed cost of each call instead.</value>
    public decimal? InputPricePerMillion { get; }

    /// <summary>Gets the list price in USD per million output tokens.</summary>
    /// <value>The price from LLMRouter's <c>default_llm.json</c>; <see langword="null"/> for RouterBench,
    /// which records the billed cost of each call instead.</value>
    public decimal? OutputPricePerMillion { get; }

    /// <inheritdoc />
    public override string ToString() => Id;
}

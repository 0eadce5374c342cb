namespace MetaModel.Replay;

/// <summary>How <see cref="LlmRouterReader"/> estimates the cost of a recorded call.</summary>
/// <remarks>
/// LLMRouter records no per-query cost, only list prices. The reader estimates, for each question and model:
/// input tokens = ceil(question length in UTF-16 code units / <see cref="CharactersPerToken"/>), output
/// tokens = <see cref="EstimatedOutputTokens"/>, and cost = (input tokens × input price + output tokens ×
/// output price) / 10⁶. The same output length is assumed for every model, so cost differences come from
/// prices and prompt length only. Set the options before reading; they are not meant to change while a read
/// runs.
/// </remarks>
public sealed class LlmRouterReaderOptions
{
    /// <summary>The default of <see cref="EstimatedOutputTokens"/>.</summary>
    public const int DefaultEstimatedOutputTokens = 256;

    /// <summary>The default of <see cref="CharactersPerToken"/>.</summary>
    public const int DefaultCharactersPerToken = 4;

    /// <summary>Gets or sets the number of output tokens assumed for every recorded answer.</summary>
    /// <value>A non-negative token count. The default is 256.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int EstimatedOutputTokens
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = DefaultEstimatedOutputTokens;

    /// <summary>Gets or sets the number of characters counted as one input token.</summary>
    /// <value>A positive number of UTF-16 code units. The default is 4, a common rule of thumb for English
    /// text.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public int CharactersPerToken
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = DefaultCharactersPerToken;
}

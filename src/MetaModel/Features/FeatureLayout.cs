namespace MetaModel.Features;

/// <summary>The fixed slots at the start of a <see cref="HashingPromptFeaturizer"/> vector.</summary>
/// <remarks>Slots from <see cref="FirstHashed"/> to the end hold the signed hashed tokens.</remarks>
internal static class FeatureLayout
{
    /// <summary>The constant bias feature, always 1.</summary>
    public const int Bias = 0;

    /// <summary>The first of six one-hot length buckets over all text: &lt;64, &lt;256, &lt;1K, &lt;4K, &lt;16K,
    /// ≥16K chars.</summary>
    public const int FirstLengthBucket = 1;

    public const int LengthBucketCount = 6;

    /// <summary>Code: a fence of three backticks, or at least two programming keywords, or at least four of { } ;.</summary>
    public const int Code = 7;

    /// <summary>
    /// Math: a math symbol (∑ ∫ √ ≤ ≥ ≠ ± ∞ π), a LaTeX command, two digit-operator-digit patterns, or a
    /// math word.
    /// </summary>
    public const int Math = 8;

    /// <summary>Multiple choice: at least two lines that start with an option label such as "A)", "(b)" or "C.".</summary>
    public const int MultipleChoice = 9;

    /// <summary>Non-Latin script: at least a fifth of the letters are outside the Latin, IPA and combining ranges.</summary>
    public const int NonLatin = 10;

    /// <summary>Question: the text contains a question mark (ASCII, full-width, Arabic or Greek).</summary>
    public const int Question = 11;

    /// <summary>
    /// List structure: at least two lines that start with a bullet ("-", "*", "•") or a number and "." or ")".
    /// </summary>
    public const int List = 12;

    /// <summary>Multi-turn: more than one user message.</summary>
    public const int MultiTurn = 13;

    /// <summary>A system message with text is present.</summary>
    public const int SystemPrompt = 14;

    /// <summary>The first hashed slot; also the smallest number of fixed slots.</summary>
    public const int FirstHashed = 15;

    /// <summary>The smallest dimension: every fixed slot plus at least one hashed slot.</summary>
    public const int MinimumDimension = 16;
}

using System.Runtime.CompilerServices;

namespace MetaModel.Features;

/// <summary>Per-script letter counts, stored inline so that a scanner allocates nothing.</summary>
/// <remarks>One element past the families, <see cref="None"/>, counts the characters of no family, so that a scanner
/// can count every character without a branch.</remarks>
[InlineArray(Length + 1)]
internal struct ScriptCounts
{
    /// <summary>Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai, Hangul, Kana, Han, other non-Latin.</summary>
    public const int Length = 10;

    /// <summary>The index of the count of characters that belong to no family.</summary>
    public const int None = Length;

    private int _element;

    /// <summary>Returns the script family of a folded letter at or above U+0370, or −1 for none.</summary>
    public static int FamilyOf(char c) => c switch
    {
        < '\u0370' => -1,
        <= '\u03FF' => 0,
        <= '\u052F' => 1,
        >= '\u0590' and <= '\u05FF' => 2,
        >= '\u0600' and <= '\u06FF' => 3,
        >= '\u0900' and <= '\u097F' => 4,
        >= '\u0E00' and <= '\u0E7F' => 5,
        (>= '\u1100' and <= '\u11FF') or (>= '\uAC00' and <= '\uD7AF') => 6,
        >= '\u3040' and <= '\u30FF' => 7,
        >= '\u3400' and <= '\u9FFF' => 8,
        _ => 9,
    };
}

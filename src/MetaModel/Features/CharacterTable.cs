using System.Runtime.CompilerServices;

namespace MetaModel.Features;

/// <summary>
/// What the scalar path needs to know of a character — its case-folded form, whether that is a word character, a
/// letter, of a script written without spaces, and of which script family — in one 32-bit entry, looked up in a
/// table.
/// </summary>
/// <remarks>
/// <para>
/// The tables are built by <see cref="Describe"/> from <see cref="char.ToLowerInvariant(char)"/>,
/// <see cref="char.IsLetterOrDigit(char)"/> and <see cref="char.IsLetter(char)"/> themselves, so a lookup gives
/// exactly what those calls give. They exist for speed: those calls cost several nanoseconds per character outside
/// ASCII, which made a prompt in Cyrillic or Chinese an order of magnitude slower to featurize than one in English.
/// </para>
/// <para>
/// The alphabets below U+0800 (Latin beyond ASCII, Greek, Cyrillic, Armenian, Hebrew, Arabic and others) are in a
/// table of 8 KB; the rest of the 16-bit range (Indic scripts, Thai, Hangul, kana, CJK …) in one of 248 KB. Each
/// is built once, when first needed, in a few milliseconds.
/// </para>
/// </remarks>
internal static class CharacterTable
{
    /// <summary>The flag of a character whose folded form is a letter or a digit.</summary>
    public const int WordFlag = 1 << 16;

    /// <summary>The flag of a character whose folded form is a letter.</summary>
    public const int FoldedLetterFlag = 1 << 17;

    /// <summary>The flag of a character whose folded form belongs to a script written without spaces (Thai U+0E00–0E7F,
    /// kana U+3040–30FF, CJK U+3400–9FFF).</summary>
    public const int UnspacedFlag = 1 << 18;

    /// <summary>The position of the script family of a folded letter from U+0370 on, or <see cref="ScriptCounts.None"/>,
    /// in 4 bits.</summary>
    private const int FamilyShift = 19;

    /// <summary>The first character past the table.</summary>
    private const int End = 0x0800;

    /// <summary>For each character below <see cref="End"/>: its <see cref="Describe"/> entry.</summary>
    private static readonly int[] s_entries = Build(0, End);

    /// <summary>Returns the entry of <paramref name="c"/>: its folded form in the low 16 bits, and the flags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Lookup(char c) => c < End ? s_entries[c] : Upper.Entries[c - End];

    /// <summary>Returns the folded form of <paramref name="c"/> (<see cref="char.ToLowerInvariant(char)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char Fold(char c) => (char)Lookup(c);

    /// <summary>Returns the script family recorded in an entry: a <see cref="ScriptCounts"/> index, or
    /// <see cref="ScriptCounts.None"/> when the folded character is not a letter from U+0370 on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FamilyOf(int entry) => (entry >> FamilyShift) & 0xF;

    /// <summary>Computes the entry of <paramref name="c"/> from the character APIs.</summary>
    internal static int Describe(char c)
    {
        char folded = char.ToLowerInvariant(c);
        bool letter = char.IsLetter(folded);
        int family = letter && folded >= '\u0370' ? ScriptCounts.FamilyOf(folded) : ScriptCounts.None;
        bool unspaced = folded >= '\u0E00'
            && (folded <= '\u0E7F' || (folded >= '\u3040' && folded <= '\u30FF') || (folded >= '\u3400' && folded <= '\u9FFF'));
        return folded
            | (char.IsLetterOrDigit(folded) ? WordFlag : 0)
            | (letter ? FoldedLetterFlag : 0)
            | (unspaced ? UnspacedFlag : 0)
            | (family << FamilyShift);
    }

    private static int[] Build(int first, int end)
    {
        var entries = new int[end - first];
        for (int c = first; c < end; c++)
        {
            entries[c - first] = Describe((char)c);
        }

        return entries;
    }

    /// <summary>The entries from <see cref="End"/> on, built on first use.</summary>
    private static class Upper
    {
        public static readonly int[] Entries = Build(End, char.MaxValue + 1);
    }
}

using System.Runtime.CompilerServices;

namespace MetaModel.Features;

/// <summary>
/// The case folding and letter-or-digit tests of the scalar path, looked up in a table for the alphabets below
/// U+0800 (Latin beyond ASCII, Greek, Cyrillic, Armenian, Hebrew, Arabic and others) and computed for the rest.
/// </summary>
/// <remarks>
/// The table is built at startup from <see cref="char.ToLowerInvariant(char)"/>, <see cref="char.IsLetterOrDigit(char)"/>
/// and <see cref="char.IsLetter(char)"/> themselves, so a lookup gives exactly what those calls give. It exists for
/// speed: those calls cost several nanoseconds per character outside ASCII, which made a prompt in Cyrillic or Greek
/// an order of magnitude slower to featurize than one in English.
/// </remarks>
internal static class CharacterTable
{
    /// <summary>The first character past the table.</summary>
    private const int End = 0x0800;

    /// <summary>The flag of a character whose folded form is a letter or a digit.</summary>
    private const int WordFlag = 1 << 16;

    /// <summary>The flag of a character that is itself a letter.</summary>
    private const int LetterFlag = 1 << 17;

    /// <summary>For each character below <see cref="End"/>: its folded form in the low 16 bits, and the flags.</summary>
    private static readonly int[] s_entries = Build();

    /// <summary>Returns the folded form of <paramref name="c"/> (<see cref="char.ToLowerInvariant(char)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char Fold(char c) => c < End ? (char)s_entries[c] : char.ToLowerInvariant(c);

    /// <summary>Folds <paramref name="c"/> and tells whether the folded character is a letter or a digit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool FoldWordCharacter(char c, out char folded)
    {
        if (c < End)
        {
            int entry = s_entries[c];
            folded = (char)entry;
            return (entry & WordFlag) != 0;
        }

        folded = char.ToLowerInvariant(c);
        return char.IsLetterOrDigit(folded);
    }

    /// <summary>Tells whether a folded character is a letter (<see cref="char.IsLetter(char)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFoldedLetter(char folded) =>
        folded < End ? (s_entries[folded] & LetterFlag) != 0 : char.IsLetter(folded);

    private static int[] Build()
    {
        var entries = new int[End];
        for (int c = 0; c < End; c++)
        {
            char folded = char.ToLowerInvariant((char)c);
            entries[c] = folded
                | (char.IsLetterOrDigit(folded) ? WordFlag : 0)
                | (char.IsLetter((char)c) ? LetterFlag : 0);
        }

        return entries;
    }
}

namespace MetaModel.Features;

/// <content>
/// Markers from ASCII characters other than letters and digits, each decided from the text around it, so that the
/// vector and the scalar path count them identically; and line-start patterns: the first three non-blank
/// characters of each line decide whether it is a multiple-choice option ("A)", "b.", "(c)") or a list item
/// ("- ", "* ", "• ", "1.", "12)").
/// </content>
internal ref partial struct TextScanner
{
    /// <summary>Counts the marker, if any, of the ASCII character at <paramref name="index"/>.</summary>
    private void HandleMarker(ReadOnlySpan<char> text, int index)
    {
        switch (text[index])
        {
            case '\n':
                ObserveLine(text, index + 1);
                break;
            case '?':
                Question = true;
                break;
            case '{' or '}' or ';':
                CodePunctuation++;
                break;
            case '`':
                CodeFence |= index + 2 < text.Length && text[index + 1] == '`' && text[index + 2] == '`';
                break;
            case '\\':
                MathHits += index + 1 < text.Length && (uint)((text[index + 1] | 0x20) - 'a') <= 'z' - 'a' ? 1 : 0;
                break;
            case '+' or '*' or '^' or '=' or '<' or '>':
                // Arithmetic: an operator between digits, with any number of spaces on either side.
                MathHits += IsDigitBeyondSpaces(text, index, -1) && IsDigitBeyondSpaces(text, index, 1) ? 1 : 0;
                break;
        }
    }

    /// <summary>Whether the first character other than a space in <paramref name="direction"/> from
    /// <paramref name="index"/> is an ASCII digit.</summary>
    private static bool IsDigitBeyondSpaces(
        ReadOnlySpan<char> text,
        int index,
        int direction)
    {
        int i = index + direction;
        while ((uint)i < (uint)text.Length && text[i] == ' ')
        {
            i += direction;
        }

        return (uint)i < (uint)text.Length && (uint)(text[i] - '0') <= 9;
    }

    /// <summary>Classifies the line that starts at <paramref name="start"/>.</summary>
    private void ObserveLine(ReadOnlySpan<char> text, int start)
    {
        // Leading blanks are skipped; characters past the end of the line or the text read as spaces.
        int i = start;
        while (i < text.Length && text[i] is ' ' or '\t' or '\r')
        {
            i++;
        }

        if (i == text.Length || text[i] == '\n')
        {
            return;
        }

        char first = FoldAscii(text[i]), second = ' ', third = ' ';
        if (i + 1 < text.Length && text[i + 1] != '\n')
        {
            second = FoldAscii(text[i + 1]);
            if (i + 2 < text.Length && text[i + 2] != '\n')
            {
                third = text[i + 2];
            }
        }

        Classify(first, second, third);
    }

    private static char FoldAscii(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a' ? (char)(c | 0x20) : c;

    private void Classify(
        char first,
        char second,
        char third)
    {
        bool optionLetter = (uint)(first - 'a') <= 'e' - 'a';
        if ((optionLetter && second is ')' or '.' or ':' && third == ' ')
            || (first == '(' && (uint)(second - 'a') <= 'e' - 'a' && third == ')'))
        {
            ChoiceLines++;
        }
        else if ((first is '-' or '*' or '•' && second == ' ')
            || ((uint)(first - '0') <= 9 && (second is '.' or ')' || ((uint)(second - '0') <= 9 && third is '.' or ')'))))
        {
            ListLines++;
        }
    }
}

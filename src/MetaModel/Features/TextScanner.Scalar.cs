using System.Runtime.CompilerServices;

namespace MetaModel.Features;

/// <content>The scalar path: any text, one character at a time, with the same tokens as the vector path.</content>
internal ref partial struct TextScanner
{
    /// <summary>Scans <paramref name="text"/> from <paramref name="start"/> to at least <paramref name="end"/>,
    /// finishing a word that runs past it.</summary>
    /// <returns>Where the scan stopped: at or after <paramref name="end"/>, never inside a word.</returns>
    private int ScanScalar(
        ReadOnlySpan<char> text,
        int start,
        int end)
    {
        int i = start;
        while (i < end)
        {
            char c = text[i];
            if (c < 128)
            {
                if (IsAsciiLetterOrDigit(c))
                {
                    i = ScanWord(text, i);
                    continue;
                }

                if (IsAsciiMarker(c))
                {
                    HandleMarker(text, i);
                }

                i++;
                continue;
            }

            int entry = CharacterTable.Lookup(c);
            if ((entry & CharacterTable.WordFlag) == 0)
            {
                HandleNonAsciiMarker((char)entry);
                i++;
            }
            else if ((entry & CharacterTable.UnspacedFlag) != 0)
            {
                // A character of a script written without spaces is a word of its own.
                CountCharacter(entry);
                EmitWord(StableHash.Absorb(2 | StableHash.Utf16Flag, (char)entry), 0, 0, 1);
                i++;
            }
            else
            {
                i = ScanWord(text, i);
            }
        }

        return i;
    }

    /// <summary>Whether an ASCII character takes part in a marker: <c>\n ? { } ; ` \ + * ^ = &lt; &gt;</c>.</summary>
    private static bool IsAsciiMarker(char c)
    {
        // One bit per character below 128, in two 64-bit halves.
        const ulong Low = (1UL << '\n') | (1UL << '?') | (1UL << ';') | (1UL << '+') | (1UL << '*') | (1UL << '=')
            | (1UL << '<') | (1UL << '>');
        const ulong High = (1UL << ('{' - 64)) | (1UL << ('}' - 64)) | (1UL << ('`' - 64)) | (1UL << ('\\' - 64))
            | (1UL << ('^' - 64));
        return (((c < 64 ? Low : High) >> (c & 63)) & 1) != 0;
    }

    /// <summary>Scans the word that starts at <paramref name="start"/>, counts its letters and emits its tokens.</summary>
    /// <returns>The index after the word.</returns>
    private int ScanWord(ReadOnlySpan<char> text, int start)
    {
        // Find the word's end, counting its letters and folding each character once into a buffer; a word too
        // long for the buffer is folded again as it is hashed.
        Span<char> buffer = _word;
        bool ascii = true;
        int end = start;
        for (; end < text.Length; end++)
        {
            char c = text[end];
            char folded;
            if (c < 128)
            {
                if (!IsAsciiLetterOrDigit(c))
                {
                    break;
                }

                bool letter = (uint)(c - '0') > 9;
                Letters += letter ? 1 : 0;
                folded = letter ? (char)(c | 0x20) : c;
            }
            else
            {
                int entry = CharacterTable.Lookup(c);
                if ((entry & (CharacterTable.WordFlag | CharacterTable.UnspacedFlag)) != CharacterTable.WordFlag)
                {
                    break;
                }

                CountCharacter(entry);
                folded = (char)entry;
                ascii &= folded < 128;
            }

            if (end - start < buffer.Length)
            {
                buffer[end - start] = folded;
            }
        }

        int length = end - start;
        if (length <= buffer.Length)
        {
            ReadOnlySpan<char> word = buffer[..length];
            EmitWord(StableHash.OfFoldedBuffer(buffer, length, ascii), Trigram(word, 0), Trigram(word, length - 3), length);
        }
        else
        {
            EmitWord(StableHash.OfWord(text[start..end]), Trigram(text, start), Trigram(text, end - 3), length);
        }

        return end;
    }

    /// <summary>Returns the value of the trigram of folded characters at <paramref name="start"/>, or 0 when it does
    /// not fit in the text (the word is then too short to emit trigrams).</summary>
    private static ulong Trigram(ReadOnlySpan<char> text, int start)
    {
        if (start < 0 || start + 3 > text.Length)
        {
            return 0;
        }

        char c0 = CharacterTable.Fold(text[start]);
        char c1 = CharacterTable.Fold(text[start + 1]);
        char c2 = CharacterTable.Fold(text[start + 2]);
        return (c0 | c1 | c2) < 128
            ? c0 | ((ulong)c1 << 8) | ((ulong)c2 << 16)
            : c0 | ((ulong)c1 << 16) | ((ulong)c2 << 32) | StableHash.Utf16Flag;
    }

    /// <summary>Counts a non-ASCII word character, given its <see cref="CharacterTable"/> entry: a letter when its
    /// folded form is one, and a non-Latin one, of its script family, from U+0370 on; π, a letter that is also a math
    /// symbol, counts for math too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountCharacter(int entry)
    {
        MathHits += (char)entry == 'π' ? 2 : 0;
        Letters += (entry & CharacterTable.FoldedLetterFlag) != 0 ? 1 : 0;
        int family = CharacterTable.FamilyOf(entry);
        NonLatinLetters += family != ScriptCounts.None ? 1 : 0;
        _scripts[family]++;
    }

    /// <summary>The markers of folded non-ASCII characters that are neither letters nor digits.</summary>
    private void HandleNonAsciiMarker(char folded)
    {
        switch (folded)
        {
            case '\uFF1F' or '\u061F' or '\u037E':
                Question = true;
                break;
            case '∑' or '∫' or '√' or '≤' or '≥' or '≠' or '±' or '∞' or 'π' or '∂' or '÷' or '×':
                MathHits += 2;
                break;
        }
    }
}

using System.Runtime.CompilerServices;

namespace MetaModel.Features;

/// <summary>Streams the text of a prompt once, hashing tokens into a span and counting structural markers.</summary>
/// <remarks>
/// Tokens: a word is a maximal run of letters and digits, case-folded; ideographic and Thai characters, which
/// are written without spaces, are words of one character each. Every word adds a signed unigram, a bigram with
/// the previous word of the same message, and, when it has at least four characters, its leading and trailing
/// character trigrams. Nothing is allocated: all state is in this struct.
/// </remarks>
internal ref struct TextScanner
{
    private const ulong UnigramFamily = 1, BigramFamily = 2, PrefixFamily = 3, SuffixFamily = 4, ScriptFamily = 5;
    private const float BigramWeight = 0.7f, AffixWeight = 0.4f;

    private readonly Span<float> _hashed;
    private float _weight;
    private ulong _word;
    private int _wordLength;
    private ulong _prefix;
    private ulong _suffix;
    private ulong _previousWord;
    private bool _hasPreviousWord;
    private int _lineState;
    private char _line0, _line1;
    private int _backticks;
    private bool _operatorAfterDigit;
    private bool _lastWasDigit;
    private bool _lastWasBackslash;
    private ScriptCounts _scripts;

    public TextScanner(Span<float> hashed)
    {
        _hashed = hashed;
    }

    public int Characters { get; private set; }

    public int Letters { get; private set; }

    public int NonLatinLetters { get; private set; }

    public int CodePunctuation { get; private set; }

    public int CodeKeywords { get; private set; }

    public bool CodeFence { get; private set; }

    public int MathHits { get; private set; }

    public int ChoiceLines { get; private set; }

    public int ListLines { get; private set; }

    public bool Question { get; private set; }

    /// <summary>Starts a message whose tokens weigh <paramref name="weight"/>.</summary>
    public void BeginMessage(float weight)
    {
        _weight = weight;
        _hasPreviousWord = false;
    }

    /// <summary>Scans one text fragment of the current message.</summary>
    public void Scan(ReadOnlySpan<char> text)
    {
        Characters += text.Length;

        // Each fragment starts a new line for the line-start patterns, and ends any word.
        _lineState = 0;
        foreach (char raw in text)
        {
            char c = Fold(raw);
            if (IsWordChar(c))
            {
                if (IsUnspacedScript(c))
                {
                    EndWord();
                    AddToWord(c);
                    EndWord();
                }
                else
                {
                    AddToWord(c);
                }
            }
            else
            {
                EndWord();
            }

            ObserveStructure(c);
        }

        EndWord();
        EndLine();
    }

    /// <summary>Adds one signed token per script family that makes up at least a twentieth of the letters.</summary>
    public void EmitScriptHints()
    {
        for (int family = 0; family < ScriptCounts.Length; family++)
        {
            if (_scripts[family] > 0 && _scripts[family] * 20 >= Letters)
            {
                Emit(StableHash.Finish((ulong)family, ScriptFamily), 1f);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static char Fold(char c)
    {
        if (c < 128)
        {
            return (uint)(c - 'A') <= 'Z' - 'A' ? (char)(c | 0x20) : c;
        }

        return char.ToLowerInvariant(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsWordChar(char c)
    {
        if (c < 128)
        {
            return (uint)(c - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9;
        }

        return char.IsLetterOrDigit(c);
    }

    private static bool IsUnspacedScript(char c) =>
        c >= 0x0E00 && (c <= 0x0E7F || (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF));

    private void AddToWord(char c)
    {
        _word = _wordLength == 0 ? StableHash.Add(StableHash.Seed, c) : StableHash.Add(_word, c);
        if (_wordLength < 3)
        {
            _prefix |= (ulong)c << (16 * _wordLength);
        }

        _suffix = ((_suffix << 16) | c) & 0xFFFF_FFFF_FFFFUL;
        _wordLength++;

        if (c >= 0x0370)
        {
            Letters++;
            NonLatinLetters += char.IsLetter(c) ? 1 : 0;
            int family = ScriptCounts.FamilyOf(c);
            if (family >= 0)
            {
                _scripts[family]++;
            }
        }
        else if (c > '9')
        {
            Letters++;
        }
    }

    private void EndWord()
    {
        if (_wordLength == 0)
        {
            return;
        }

        Emit(StableHash.Finish(_word, UnigramFamily), _weight);
        if (_hasPreviousWord)
        {
            Emit(StableHash.Finish((_previousWord * 0x9E3779B97F4A7C15UL) ^ _word, BigramFamily), _weight * BigramWeight);
        }

        if (_wordLength >= 4)
        {
            Emit(StableHash.Finish(_prefix, PrefixFamily), _weight * AffixWeight);
            Emit(StableHash.Finish(_suffix, SuffixFamily), _weight * AffixWeight);
        }

        if (_wordLength <= 12)
        {
            byte kind = KeywordTable.Lookup(_word);
            CodeKeywords += kind == KeywordTable.Code ? 1 : 0;
            MathHits += kind == KeywordTable.Math ? 1 : 0;
        }

        _previousWord = _word;
        _hasPreviousWord = true;
        _wordLength = 0;
        _prefix = 0;
        _suffix = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Emit(ulong hash, float weight)
    {
        // Multiply-shift maps the high 32 bits onto the slots without a division; bit 0 gives the sign.
        int slot = (int)(((hash >> 32) * (ulong)(uint)_hashed.Length) >> 32);
        _hashed[slot] += (hash & 1) == 0 ? weight : -weight;
    }

    private void ObserveStructure(char c)
    {
        switch (c)
        {
            case '?' or '\uFF1F' or '\u061F' or '\u037E':
                Question = true;
                break;
            case '{' or '}' or ';':
                CodePunctuation++;
                break;
            case '∑' or '∫' or '√' or '≤' or '≥' or '≠' or '±' or '∞' or 'π' or '∂' or '÷' or '×':
                MathHits += 2;
                break;
        }

        _backticks = c == '`' ? _backticks + 1 : 0;
        CodeFence |= _backticks >= 3;

        // LaTeX: a backslash followed by a letter.
        if (_lastWasBackslash && (uint)(c - 'a') <= 'z' - 'a')
        {
            MathHits++;
        }

        _lastWasBackslash = c == '\\';

        // Arithmetic: a digit, an operator, then a digit, with spaces allowed in between.
        if (c != ' ')
        {
            bool digit = (uint)(c - '0') <= 9;
            if (digit && _operatorAfterDigit)
            {
                MathHits++;
            }

            _operatorAfterDigit = _lastWasDigit && c is '+' or '*' or '^' or '=' or '<' or '>';
            _lastWasDigit = digit;
        }

        ObserveLineStart(c);
    }

    private void ObserveLineStart(char c)
    {
        // _lineState counts the non-blank characters seen at the start of the line, or is −1 once decided.
        if (c == '\n')
        {
            EndLine();
            _lineState = 0;
            return;
        }

        if (_lineState < 0 || (_lineState == 0 && c is ' ' or '\t' or '\r'))
        {
            return;
        }

        if (_lineState == 0)
        {
            _line0 = c;
            _lineState = 1;
        }
        else if (_lineState == 1)
        {
            _line1 = c;
            _lineState = 2;
        }
        else
        {
            Classify(c);
            _lineState = -1;
        }
    }

    private void EndLine()
    {
        if (_lineState > 0)
        {
            Classify(' ');
        }

        _lineState = -1;
    }

    private void Classify(char third)
    {
        bool optionLetter = (uint)(_line0 - 'a') <= 'e' - 'a';
        if ((optionLetter && _line1 is ')' or '.' or ':' && third == ' ')
            || (_line0 == '(' && (uint)(_line1 - 'a') <= 'e' - 'a' && third == ')'))
        {
            ChoiceLines++;
        }
        else if ((_line0 is '-' or '*' or '•' && _line1 == ' ')
            || ((uint)(_line0 - '0') <= 9 && (_line1 is '.' or ')' || ((uint)(_line1 - '0') <= 9 && third is '.' or ')'))))
        {
            ListLines++;
        }
    }
}

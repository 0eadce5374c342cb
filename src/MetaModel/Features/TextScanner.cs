using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace MetaModel.Features;

/// <summary>Streams the text of a prompt once, hashing tokens into a span and counting structural markers.</summary>
/// <remarks>
/// <para>
/// Tokens: a word is a maximal run of letters and digits, case-folded; ideographic and Thai characters, which
/// are written without spaces, are words of one character each. Every word adds a signed unigram, a bigram with
/// the previous word of the same message, and its leading and trailing character trigrams when it has at least
/// six characters. Nothing is allocated: all state is in this struct.
/// </para>
/// <para>
/// Performance: the per-character state lives in locals of <see cref="Scan"/> (fields of a struct that is
/// passed by reference would be loaded and stored on every character). A table gives the kind of each ASCII
/// character. Runs of ASCII letters, most of any prompt, are read four characters at a time as one 64-bit value
/// that is tested, case-folded and absorbed into the word's hash at once; a space only ends the word; a run of
/// punctuation ends it once and its long tail is skipped by a vector search. Only digits, marker characters,
/// line feeds and non-ASCII text take the general path, one character at a time. The features are bit for bit
/// those of a scan of one character at a time.
/// </para>
/// </remarks>
internal ref partial struct TextScanner
{
    internal const ulong UnigramFamily = 1;
    private const ulong BigramFamily = 2, PrefixFamily = 3, SuffixFamily = 4, ScriptFamily = 5;
    private const float BigramWeight = 0.7f, AffixWeight = 0.4f;
    private const int MinimumAffixWordLength = 6;
    private const ulong ThreeCharacters = 0xFFFF_FFFF_FFFFUL;

    /// <summary>A one in each 16-bit lane of a 64-bit value holding four characters.</summary>
    private const ulong Lanes = 0x0001_0001_0001_0001UL;

    /// <summary>How many characters of a run of punctuation are scanned one at a time before a vector search.</summary>
    private const int ShortRun = 8;

    /// <summary>The kinds of ASCII characters: what the scan loop does with each.</summary>
    private const byte Other = 0, Letter = 1, Space = 2, Punctuation = 3;

    /// <summary>
    /// The kind of every ASCII character. <see cref="Punctuation"/> is every character that only ends a word and
    /// every pending marker sequence; <see cref="Other"/> are digits, the line feed and the marker characters
    /// <c>? { } ; ` \ + * ^ = &lt; &gt;</c>, which take the general path.
    /// </summary>
    private static ReadOnlySpan<byte> AsciiKinds =>
    [
        3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, // control
        2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, //  !"#..?
        3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 0, 3, 0, 3, // @A..Z[\]^_
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 3, 0, 3, 3, // `a..z{|}~
    ];

    private readonly Span<float> _hashed;
    private int _unigramBits, _bigramBits, _affixBits;
    private ulong _previousWord;
    private bool _hasPreviousWord;
    private int _lineState;
    private char _line0, _line1;
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
        // The weights of the message's tokens, as bits, so that emitting a token only flips the sign bit.
        _unigramBits = BitConverter.SingleToInt32Bits(weight);
        _bigramBits = BitConverter.SingleToInt32Bits(weight * BigramWeight);
        _affixBits = BitConverter.SingleToInt32Bits(weight * AffixWeight);
        _hasPreviousWord = false;
    }

    /// <summary>Scans one text fragment of the current message; a fragment starts a new line and a new word.</summary>
    public void Scan(ReadOnlySpan<char> text)
    {
        Characters += text.Length;
        _lineState = 0;

        // Counters and flags stay in locals for the loop and are stored once at the end. A word's state is its
        // absorbed hash, the chunk of up to four characters not yet absorbed, the last full chunk (for the
        // trailing trigram) and the first three characters (the leading trigram); all locals, so that they
        // live in registers.
        ulong hash = 0, chunk = 0, lastChunk = 0, prefix = 0;
        int length = 0;
        int letters = 0, backticks = 0, mathHits = 0, codePunctuation = 0;
        bool lastWasDigit = false, operatorAfterDigit = false, lastWasBackslash = false;
        bool question = false, fence = false;
        ref char first = ref MemoryMarshal.GetReference(text);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            int kind = c < AsciiKinds.Length ? AsciiKinds[c] : Other;
            if (kind == Letter)
            {
                // A run of ASCII letters, most of any prompt. Its first letter ends a backslash, digit or backtick
                // sequence; the run itself only extends the current word.
                if (lastWasBackslash | lastWasDigit | operatorAfterDigit | (backticks != 0))
                {
                    mathHits += lastWasBackslash ? 1 : 0;
                    lastWasBackslash = lastWasDigit = operatorAfterDigit = false;
                    backticks = 0;
                }

                int runStart = i;
                while (true)
                {
                    // At a chunk boundary, four characters are read, tested and case-folded as one 64-bit value: four
                    // letters are absorbed as a chunk, and fewer end the word's letters, so that a word costs one
                    // unpredictable branch rather than one per character.
                    if ((length & 3) == 0 && text.Length - i >= 4 && BitConverter.IsLittleEndian)
                    {
                        ulong four = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<char, byte>(ref Unsafe.Add(ref first, i)));
                        int count = LeadingAsciiLetters(four);
                        ulong folded = ToChunk(four | (0x20 * Lanes));
                        if (count == 4)
                        {
                            length += 4;
                            prefix = length == 4 ? folded >> 16 : prefix;
                            hash = StableHash.Absorb(hash, folded);
                            lastChunk = folded;
                            i += 4;
                            continue;
                        }

                        // The first count characters, right-aligned; none when count is 0.
                        chunk = (folded >> (16 * (3 - count))) >> 16;
                        length += count;
                        i += count;
                        break;
                    }

                    if (i == text.Length || !IsAsciiLetter(c = text[i]))
                    {
                        break;
                    }

                    chunk = (chunk << 16) | (uint)(c | 0x20);
                    if ((++length & 3) == 0)
                    {
                        prefix = length == 4 ? chunk >> 16 : prefix;
                        hash = StableHash.Absorb(hash, chunk);
                        lastChunk = chunk;
                        chunk = 0;
                    }

                    i++;
                }

                letters += i - runStart;
                for (int k = runStart; _lineState >= 0 && k < i; k++)
                {
                    ObserveLineStart((char)(text[k] | 0x20));
                }

                continue;
            }

            if (kind == Space)
            {
                // A space ends the word; digit-operator-digit flags survive it.
                if (length != 0)
                {
                    EmitWord(hash, chunk, lastChunk, prefix, length);
                    hash = chunk = lastChunk = prefix = 0;
                    length = 0;
                }

                backticks = 0;
                lastWasBackslash = false;
                if (_lineState > 0)
                {
                    ObserveLineStart(c);
                }

                i++;
                continue;
            }

            if (kind == Punctuation)
            {
                // A run of ASCII punctuation that is no marker: it ends the word and every pending sequence.
                if (length != 0)
                {
                    EmitWord(hash, chunk, lastChunk, prefix, length);
                    hash = chunk = lastChunk = prefix = 0;
                    length = 0;
                }

                backticks = 0;
                lastWasBackslash = lastWasDigit = operatorAfterDigit = false;
                int runStart = i;
                do
                {
                    if (_lineState >= 0)
                    {
                        ObserveLineStart(text[i]);
                    }

                    i++;
                }
                while (i < text.Length && IsPunctuation(text[i]) && (i - runStart < ShortRun || _lineState >= 0));

                // The rest of a long run (a rule of dashes, padding dots) changes nothing, so a vector search skips it.
                if (i < text.Length && IsPunctuation(text[i]))
                {
                    int other = text.Slice(i).IndexOfAnyExcept(PunctuationCharacters);
                    i = other < 0 ? text.Length : i + other;
                }

                continue;
            }

            // Everything else, one character at a time: digits, marker characters, line feeds and non-ASCII text.
            i++;
            if (c >= 128)
            {
                c = char.ToLowerInvariant(c);
            }

            bool digit = (uint)(c - '0') <= 9;
            if (digit || (c >= 128 && char.IsLetterOrDigit(c)))
            {
                if (c >= 128)
                {
                    CountLetter(c);
                }

                if (IsUnspacedScript(c))
                {
                    // A character of a script written without spaces is a word of its own.
                    if (length != 0)
                    {
                        EmitWord(hash, chunk, lastChunk, prefix, length);
                        hash = chunk = lastChunk = prefix = 0;
                        length = 0;
                    }

                    EmitWord(0, c, 0, 0, 1);
                }
                else
                {
                    chunk = (chunk << 16) | c;
                    if ((++length & 3) == 0)
                    {
                        prefix = length == 4 ? chunk >> 16 : prefix;
                        hash = StableHash.Absorb(hash, chunk);
                        lastChunk = chunk;
                        chunk = 0;
                    }
                }
            }
            else if (length != 0)
            {
                EmitWord(hash, chunk, lastChunk, prefix, length);
                hash = chunk = lastChunk = prefix = 0;
                length = 0;
            }

            // Structure markers, from characters other than ASCII letters and spaces.
            switch (c)
            {
                case '?' or '\uFF1F' or '\u061F' or '\u037E':
                    question = true;
                    break;
                case '{' or '}' or ';':
                    codePunctuation++;
                    break;
                case '∑' or '∫' or '√' or '≤' or '≥' or '≠' or '±' or '∞' or 'π' or '∂' or '÷' or '×':
                    mathHits += 2;
                    break;
            }

            backticks = c == '`' ? backticks + 1 : 0;
            fence |= backticks >= 3;
            lastWasBackslash = c == '\\';

            // Arithmetic: a digit, an operator, then a digit; spaces in between change none of these flags.
            mathHits += digit && operatorAfterDigit ? 1 : 0;
            operatorAfterDigit = lastWasDigit && c is '+' or '*' or '^' or '=' or '<' or '>';
            lastWasDigit = digit;

            if (c == '\n')
            {
                EndLine();
                _lineState = 0;
            }
            else if (_lineState >= 0)
            {
                ObserveLineStart(c);
            }
        }

        if (length != 0)
        {
            EmitWord(hash, chunk, lastChunk, prefix, length);
        }

        EndLine();
        Letters += letters;
        MathHits += mathHits;
        CodePunctuation += codePunctuation;
        Question |= question;
        CodeFence |= fence;
    }

    /// <summary>Adds one signed token per script family that makes up at least a twentieth of the letters.</summary>
    public void EmitScriptHints()
    {
        for (int family = 0; family < ScriptCounts.Length; family++)
        {
            if (_scripts[family] > 0 && _scripts[family] * 20 >= Letters)
            {
                Emit(StableHash.Mix((ulong)family, ScriptFamily), BitConverter.SingleToInt32Bits(1f));
            }
        }
    }

    /// <summary>The ASCII characters of kind <see cref="Punctuation"/>.</summary>
    private static readonly SearchValues<char> PunctuationCharacters = SearchValues.Create(CharactersOfKind(Punctuation));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPunctuation(char c) => c < AsciiKinds.Length && AsciiKinds[c] == Punctuation;

    private static string CharactersOfKind(byte kind)
    {
        var characters = new StringBuilder();
        for (int c = 0; c < AsciiKinds.Length; c++)
        {
            if (AsciiKinds[c] == kind)
            {
                characters.Append((char)c);
            }
        }

        return characters.ToString();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsAsciiLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    /// <summary>
    /// Counts the ASCII letters before the first other character among the four read from memory into
    /// <paramref name="four"/> on a little-endian machine.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LeadingAsciiLetters(ulong four)
    {
        // In a lane below 0x80, bit 7 of the folded lane plus 0x1F is set from 'a' up, and bit 7 of it plus 0x05 is
        // set above 'z'. A lane at or above 0x80 is flagged by its high bits; the carries that adding to it may push
        // into later lanes do not matter, because only the first flagged lane counts.
        ulong folded = four | (0x20 * Lanes);
        ulong belowA = ~(folded + (0x1F * Lanes)) & (0x80 * Lanes);
        ulong aboveZ = (folded + (0x05 * Lanes)) & (0x80 * Lanes);
        ulong others = (four & (0xFF80 * Lanes)) | belowA | aboveZ;
        return BitOperations.TrailingZeroCount(others) >> 4;
    }

    /// <summary>Repacks four characters as read from memory into a chunk, the first character in the high bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ToChunk(ulong four)
    {
        if (!BitConverter.IsLittleEndian)
        {
            return four;
        }

        ulong halvesSwapped = BitOperations.RotateLeft(four, 32);
        return ((halvesSwapped & 0x0000_FFFF_0000_FFFFUL) << 16) | ((halvesSwapped >> 16) & 0x0000_FFFF_0000_FFFFUL);
    }

    private static bool IsUnspacedScript(char c) =>
        c >= 0x0E00 && (c <= 0x0E7F || (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF));

    private void CountLetter(char c)
    {
        Letters++;
        if (c >= 0x0370 && char.IsLetter(c))
        {
            NonLatinLetters++;
            int family = ScriptCounts.FamilyOf(c);
            if (family >= 0)
            {
                _scripts[family]++;
            }
        }
    }

    /// <summary>Emits the tokens of a finished word, given its streaming state.</summary>
    /// <param name="absorbed">The hash of the word's full four-character chunks.</param>
    /// <param name="chunk">The characters after the last full chunk.</param>
    /// <param name="lastChunk">The last full chunk, for the trailing trigram.</param>
    /// <param name="prefix">The first three characters, packed.</param>
    /// <param name="length">The number of characters, at least 1.</param>
    private void EmitWord(
        ulong absorbed,
        ulong chunk,
        ulong lastChunk,
        ulong prefix,
        int length)
    {
        ulong hash = StableHash.Absorb(absorbed, chunk) ^ (ulong)length;
        ulong unigram = StableHash.Mix(hash, UnigramFamily);
        Emit(unigram, _unigramBits);
        if (_hasPreviousWord)
        {
            Emit(StableHash.Mix(BitOperations.RotateLeft(_previousWord, 23) ^ hash, BigramFamily), _bigramBits);
        }

        // Shorter words are covered by their unigram; their affixes weigh 0, so that word lengths, which vary
        // unpredictably, cost no branch. Adding a signed zero leaves a slot unchanged, as slots are never −0.
        int partial = length & 3;
        ulong suffix = (partial == 0 ? lastChunk : (lastChunk << (16 * partial)) | chunk) & ThreeCharacters;
        int affixBits = _affixBits & -(int)((uint)(MinimumAffixWordLength - 1 - length) >> 31);
        Emit(StableHash.Mix(prefix, PrefixFamily), affixBits);
        Emit(StableHash.Mix(suffix, SuffixFamily), affixBits);

        // The table is keyed by the unigram's mixed hash, so recognizing keywords costs no extra multiply.
        if (length <= KeywordTable.MaxLength)
        {
            byte kind = KeywordTable.Lookup(unigram);
            if (kind != KeywordTable.None)
            {
                CodeKeywords += kind == KeywordTable.Code ? 1 : 0;
                MathHits += kind == KeywordTable.Math ? 1 : 0;
            }
        }

        _previousWord = hash;
        _hasPreviousWord = true;
    }

    /// <summary>Adds a token's weight, given as bits, to its slot, with the sign the hash chooses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Emit(ulong hash, int weightBits)
    {
        // Multiply-shift maps the high 32 bits onto the slots without a division, so the slot is always in range
        // and needs no bounds check; bit 0 becomes the sign bit.
        int slot = (int)(((hash >> 32) * (ulong)(uint)_hashed.Length) >> 32);
        float signed = BitConverter.Int32BitsToSingle(weightBits ^ ((int)hash << 31));
        Unsafe.Add(ref MemoryMarshal.GetReference(_hashed), slot) += signed;
    }
}

using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using MetaModel.Features;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Features;

/// <summary>
/// The featurizer as first written, scanning one character at a time: the reference that the block-wise scanner
/// of <see cref="HashingPromptFeaturizer"/> must match bit for bit.
/// </summary>
internal static class ReferenceFeaturizer
{
    private const float MarkerValue = 0.5f;

    public static void Featurize(IList<ChatMessage> messages, Span<float> destination)
    {
        destination.Clear();
        var scanner = new ReferenceTextScanner(destination.Slice(FeatureLayout.FirstHashed));
        int userMessages = 0;
        bool systemPrompt = false;
        foreach (ChatMessage message in messages)
        {
            ScanMessage(ref scanner, message, ref userMessages, ref systemPrompt);
        }

        scanner.EmitScriptHints();
        Assemble(destination, in scanner, userMessages, systemPrompt);
    }

    private static void ScanMessage(
        ref ReferenceTextScanner scanner,
        ChatMessage message,
        ref int userMessages,
        ref bool systemPrompt)
    {
        bool user = message.Role == ChatRole.User;
        userMessages += user ? 1 : 0;
        scanner.BeginMessage(user ? 1f : 0.5f);
        IList<AIContent> contents = message.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextContent { Text: { Length: > 0 } text })
            {
                systemPrompt |= message.Role == ChatRole.System;
                scanner.Scan(text);
            }
        }
    }

    private static void Assemble(
        Span<float> destination,
        in ReferenceTextScanner scanner,
        int userMessages,
        bool systemPrompt)
    {
        Span<float> hashed = destination.Slice(FeatureLayout.FirstHashed);
        float norm = TensorPrimitives.Norm(hashed);
        if (norm > 0)
        {
            TensorPrimitives.Multiply(hashed, 1f / norm, hashed);
        }

        destination[FeatureLayout.FirstLengthBucket + LengthBucket(scanner.Characters)] = MarkerValue;
        Flag(destination, FeatureLayout.Code, scanner.CodeFence || scanner.CodeKeywords >= 2 || scanner.CodePunctuation >= 4);
        Flag(destination, FeatureLayout.Math, scanner.MathHits >= 2);
        Flag(destination, FeatureLayout.MultipleChoice, scanner.ChoiceLines >= 2);
        Flag(destination, FeatureLayout.NonLatin, scanner.Letters > 0 && scanner.NonLatinLetters * 5 >= scanner.Letters);
        Flag(destination, FeatureLayout.Question, scanner.Question);
        Flag(destination, FeatureLayout.List, scanner.ListLines >= 2);
        Flag(destination, FeatureLayout.MultiTurn, userMessages > 1);
        Flag(destination, FeatureLayout.SystemPrompt, systemPrompt);

        // A length bucket is always set, so the norm is positive.
        Span<float> features = destination.Slice(1);
        TensorPrimitives.Multiply(features, 1f / TensorPrimitives.Norm(features), features);
        destination[FeatureLayout.Bias] = 1f;
    }

    private static void Flag(
        Span<float> destination,
        int slot,
        bool value)
    {
        if (value)
        {
            destination[slot] = MarkerValue;
        }
    }

    private static int LengthBucket(int characters) => characters switch
    {
        < 64 => 0,
        < 256 => 1,
        < 1024 => 2,
        < 4096 => 3,
        < 16384 => 4,
        _ => 5,
    };
}

/// <summary>The original character-at-a-time scanner, kept unchanged as a reference.</summary>
internal ref struct ReferenceTextScanner
{
    private const ulong UnigramFamily = TextScanner.UnigramFamily;
    private const ulong BigramFamily = 2, PrefixFamily = 3, SuffixFamily = 4, ScriptFamily = 5;
    private const float BigramWeight = 0.7f, AffixWeight = 0.4f;
    private const int MinimumAffixWordLength = 6;
    private const ulong ThreeCharacters = 0xFFFF_FFFF_FFFFUL;

    private readonly Span<float> _hashed;
    private float _weight;
    private ulong _previousWord;
    private bool _hasPreviousWord;
    private int _lineState;
    private char _line0, _line1;
    private ScriptCounts _scripts;

    public ReferenceTextScanner(Span<float> hashed)
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
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if ((uint)((c | 0x20) - 'a') <= 'z' - 'a')
            {
                // Fast path: an ASCII letter extends the current word.
                chunk = (chunk << 16) | (uint)(c | 0x20);
                if ((++length & 3) == 0)
                {
                    prefix = length == 4 ? chunk >> 16 : prefix;
                    hash = StableHash.Absorb(hash, chunk);
                    lastChunk = chunk;
                    chunk = 0;
                }

                letters++;
                if (lastWasBackslash | lastWasDigit | operatorAfterDigit | (backticks != 0))
                {
                    mathHits += lastWasBackslash ? 1 : 0;
                    lastWasBackslash = lastWasDigit = operatorAfterDigit = false;
                    backticks = 0;
                }

                if (_lineState >= 0)
                {
                    ObserveLineStart((char)(c | 0x20));
                }

                continue;
            }

            if (c == ' ')
            {
                // Second fast path: a space ends the word.
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

                continue;
            }

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
                Emit(StableHash.Mix((ulong)family, ScriptFamily), 1f);
            }
        }
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
        Emit(unigram, _weight);
        if (_hasPreviousWord)
        {
            Emit(StableHash.Mix(BitOperations.RotateLeft(_previousWord, 23) ^ hash, BigramFamily), _weight * BigramWeight);
        }

        // Shorter words are covered by their unigram; their affixes would add cost and little information.
        if (length >= MinimumAffixWordLength)
        {
            int partial = length & 3;
            ulong suffix = (partial == 0 ? lastChunk : (lastChunk << (16 * partial)) | chunk) & ThreeCharacters;
            Emit(StableHash.Mix(prefix, PrefixFamily), _weight * AffixWeight);
            Emit(StableHash.Mix(suffix, SuffixFamily), _weight * AffixWeight);
        }

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Emit(ulong hash, float weight)
    {
        // Multiply-shift maps the high 32 bits onto the slots without a division; bit 0 becomes the sign bit.
        int slot = (int)(((hash >> 32) * (ulong)(uint)_hashed.Length) >> 32);
        _hashed[slot] += BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(weight) ^ ((int)hash << 31));
    }

    private void ObserveLineStart(char c)
    {
        // _lineState counts the non-blank characters seen at the start of the line, or is −1 once decided.
        if (_lineState == 0)
        {
            if (c is not (' ' or '\t' or '\r'))
            {
                _line0 = c;
                _lineState = 1;
            }
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

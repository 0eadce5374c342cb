using System.Numerics;
using System.Numerics.Tensors;
using System.Text;
using MetaModel.Features;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Features;

/// <summary>
/// The features that <see cref="HashingPromptFeaturizer"/> documents, computed the plain way: split each text into
/// words and lines with ordinary string code, hash every token from its string, count every marker character by
/// character. The fast featurizer must match it bit for bit.
/// </summary>
internal static class ReferenceFeaturizer
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15UL;
    private const ulong UnigramSalt = 1UL << 56, BigramSalt = 2UL << 56, PrefixSalt = 3UL << 56;
    private const ulong SuffixSalt = 4UL << 56, ScriptSalt = 5UL << 56;
    private const float MarkerValue = 0.5f;

    public static readonly HashSet<string> CodeKeywords =
    [
        "def", "return", "function", "class", "import", "include", "public", "private", "void", "const",
        "let", "var", "println", "printf", "lambda", "struct", "elif", "async", "await", "namespace",
        "console", "null", "nullptr", "typedef", "fn", "impl", "func", "int", "bool", "sql",
    ];

    public static readonly HashSet<string> MathKeywords =
    [
        "solve", "equation", "equations", "integral", "derivative", "theorem", "proof", "prove", "matrix",
        "probability", "polynomial", "calculate", "sqrt", "log", "sin", "cos", "frac",
    ];

    private const string MathSymbols = "∑∫√≤≥≠±∞π∂÷×";

    public static void Featurize(IList<ChatMessage> messages, Span<float> destination)
    {
        var state = new State(destination.Length - FeatureLayout.FirstHashed);
        int userMessages = 0;
        bool systemPrompt = false;
        foreach (ChatMessage message in messages)
        {
            bool user = message.Role == ChatRole.User;
            userMessages += user ? 1 : 0;
            long scale = user ? 2 : 1;
            ulong? previous = null;
            foreach (AIContent content in message.Contents)
            {
                if (content is TextContent { Text: { Length: > 0 } text })
                {
                    systemPrompt |= message.Role == ChatRole.System;
                    previous = state.Scan(text, scale, previous);
                }
            }
        }

        for (int family = 0; family < state.Scripts.Length; family++)
        {
            if (state.Scripts[family] > 0 && state.Scripts[family] * 20 >= state.Letters)
            {
                state.Add(((ulong)family ^ ScriptSalt) * Multiplier, 20);
            }
        }

        destination.Clear();
        for (int i = 0; i < state.Slots.Length; i++)
        {
            destination[FeatureLayout.FirstHashed + i] = state.Slots[i];
        }

        Span<float> hashed = destination.Slice(FeatureLayout.FirstHashed);
        float norm = TensorPrimitives.Norm(hashed);
        if (norm > 0)
        {
            TensorPrimitives.Multiply(hashed, 1f / norm, hashed);
        }

        int characters = state.Characters;
        int bucket = characters < 64 ? 0 : characters < 256 ? 1 : characters < 1024 ? 2 : characters < 4096 ? 3
            : characters < 16384 ? 4 : 5;
        destination[FeatureLayout.FirstLengthBucket + bucket] = MarkerValue;
        Flag(destination, FeatureLayout.Code, state.Fence || state.Keywords >= 2 || state.CodePunctuation >= 4);
        Flag(destination, FeatureLayout.Math, state.MathHits >= 2);
        Flag(destination, FeatureLayout.MultipleChoice, state.ChoiceLines >= 2);
        Flag(destination, FeatureLayout.NonLatin, state.Letters > 0 && state.NonLatinLetters * 5 >= state.Letters);
        Flag(destination, FeatureLayout.Question, state.Question);
        Flag(destination, FeatureLayout.List, state.ListLines >= 2);
        Flag(destination, FeatureLayout.MultiTurn, userMessages > 1);
        Flag(destination, FeatureLayout.SystemPrompt, systemPrompt);

        Span<float> features = destination.Slice(1);
        TensorPrimitives.Multiply(features, 1f / TensorPrimitives.Norm(features), features);
        destination[FeatureLayout.Bias] = 1f;
    }

    /// <summary>Folds a character: ASCII letters to lower case, other ASCII unchanged, the rest by the invariant
    /// culture.</summary>
    public static char Fold(char c) => c < 128 ? (char.IsAsciiLetterUpper(c) ? (char)(c + 32) : c) : char.ToLowerInvariant(c);

    /// <summary>The words of a text, folded, in order.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (char c in text)
        {
            char f = Fold(c);
            bool wordCharacter = c < 128 ? char.IsAsciiLetterOrDigit(c) : char.IsLetterOrDigit(f);
            bool unspaced = c >= 128
                && ((f >= 0x0E00 && f <= 0x0E7F) || (f >= 0x3040 && f <= 0x30FF) || (f >= 0x3400 && f <= 0x9FFF));
            if (!wordCharacter || unspaced)
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }

                if (wordCharacter)
                {
                    words.Add(f.ToString());
                }

                continue;
            }

            current.Append(f);
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>The hash of a folded word: its bytes (ASCII) or UTF-16 code units, absorbed eight bytes at a time.</summary>
    public static ulong WordHash(string word)
    {
        bool ascii = word.All(c => c < 128);
        byte[] bytes = ascii ? word.Select(c => (byte)c).ToArray() : Encoding.Unicode.GetBytes(word);
        ulong hash = (uint)bytes.Length | (ascii ? 0UL : 1UL << 63);
        for (int offset = 0; offset < bytes.Length; offset += 8)
        {
            ulong piece = 0;
            for (int k = 0; k < 8 && offset + k < bytes.Length; k++)
            {
                piece |= (ulong)bytes[offset + k] << (8 * k);
            }

            ulong z = (hash ^ piece) * Multiplier;
            hash = z ^ (z >> 29);
        }

        return hash;
    }

    private static ulong Trigram(string three) => three.All(c => c < 128)
        ? three[0] | ((ulong)three[1] << 8) | ((ulong)three[2] << 16)
        : three[0] | ((ulong)three[1] << 16) | ((ulong)three[2] << 32) | (1UL << 63);

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

    private sealed class State(int slotCount)
    {
        public long[] Slots { get; } = new long[slotCount];

        public int[] Scripts { get; } = new int[ScriptCounts.Length];

        public int Characters { get; private set; }

        public int Letters { get; private set; }

        public int NonLatinLetters { get; private set; }

        public int CodePunctuation { get; private set; }

        public int Keywords { get; private set; }

        public bool Fence { get; private set; }

        public int MathHits { get; private set; }

        public int ChoiceLines { get; private set; }

        public int ListLines { get; private set; }

        public bool Question { get; private set; }

        /// <summary>Adds the tokens and markers of one text; returns the hash of its last word, or the previous one.</summary>
        public ulong? Scan(
            string text,
            long scale,
            ulong? previous)
        {
            Characters += text.Length;
            foreach (string word in Words(text))
            {
                ulong hash = WordHash(word);
                Add((hash ^ UnigramSalt) * Multiplier, 10 * scale);
                if (previous is ulong before)
                {
                    Add(BitOperations.RotateLeft(before, 23) ^ hash ^ BigramSalt, 7 * scale);
                }

                if (word.Length >= 6)
                {
                    Add((Trigram(word[..3]) ^ PrefixSalt) * Multiplier, 4 * scale);
                    Add((Trigram(word[^3..]) ^ SuffixSalt) * Multiplier, 4 * scale);
                }

                Keywords += CodeKeywords.Contains(word) ? 1 : 0;
                MathHits += MathKeywords.Contains(word) ? 1 : 0;
                previous = hash;
            }

            for (int i = 0; i < text.Length; i++)
            {
                CountCharacter(text, i);
            }

            foreach (string line in text.Split('\n'))
            {
                ClassifyLine(line.TrimStart(' ', '\t', '\r'));
            }

            return previous;
        }

        public void Add(ulong token, long weight)
        {
            int slot = (int)((((token << 1) >> 32) * (ulong)Slots.Length) >> 32);
            Slots[slot] += token >> 63 == 0 ? weight : -weight;
        }

        private void CountCharacter(string text, int i)
        {
            char c = text[i];
            char f = Fold(c);
            if (c < 128 ? char.IsAsciiLetter(c) : char.IsLetter(f))
            {
                Letters++;
                if (f >= 0x0370)
                {
                    NonLatinLetters++;
                    int family = ScriptCounts.FamilyOf(f);
                    if (family >= 0)
                    {
                        Scripts[family]++;
                    }
                }
            }

            Question |= f is '?' or '\uFF1F' or '\u061F' or '\u037E';
            CodePunctuation += f is '{' or '}' or ';' ? 1 : 0;
            MathHits += c >= 128 && MathSymbols.Contains(f) ? 2 : 0;
            Fence |= text.AsSpan(i).StartsWith("```");
            MathHits += c == '\\' && i + 1 < text.Length && char.IsAsciiLetter(text[i + 1]) ? 1 : 0;
            if (c is '+' or '*' or '^' or '=' or '<' or '>')
            {
                string before = text[..i].TrimEnd(' ');
                string after = text[(i + 1)..].TrimStart(' ');
                bool digitBefore = before.Length > 0 && char.IsAsciiDigit(before[^1]);
                bool digitAfter = after.Length > 0 && char.IsAsciiDigit(after[0]);
                MathHits += digitBefore && digitAfter ? 1 : 0;
            }
        }

        private void ClassifyLine(string line)
        {
            if (line.Length == 0)
            {
                return;
            }

            char first = char.IsAsciiLetter(line[0]) ? char.ToLowerInvariant(line[0]) : line[0];
            char second = line.Length > 1 ? (char.IsAsciiLetter(line[1]) ? char.ToLowerInvariant(line[1]) : line[1]) : ' ';
            char third = line.Length > 2 ? line[2] : ' ';
            if (("abcde".Contains(first) && ").:".Contains(second) && third == ' ')
                || (first == '(' && "abcde".Contains(second) && third == ')'))
            {
                ChoiceLines++;
            }
            else if (("-*•".Contains(first) && second == ' ')
                || (char.IsAsciiDigit(first) && (second is '.' or ')' || (char.IsAsciiDigit(second) && third is '.' or ')'))))
            {
                ListLines++;
            }
        }
    }
}

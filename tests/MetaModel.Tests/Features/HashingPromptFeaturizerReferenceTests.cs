using System.Text;
using MetaModel.Features;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Features;

/// <summary>
/// The featurizer's vector path (ASCII chunks classified 32 characters at a time) and its scalar path (any other
/// text) must both give exactly the features of the plain <see cref="ReferenceFeaturizer"/>.
/// </summary>
public class HashingPromptFeaturizerReferenceTests
{
    private static readonly string[] Pieces =
    [
        "a", "B", "routing", "ROUTER", "Featurize", "x", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefgh",
        "abcdefghi", "internationalization", "Supercalifragilisticexpialidocious",
        " ", "  ", "\t", "\r\n", "\n", "\n\n", ".", "...", ",", ":", "(", ")", "\"", "'", "-", "_", "@", "[", "]",
        "|", "~", "/", "#", "!", "%", "&", "$", "?", "{", "}", ";", "`", "```", "\\", "\\frac", "+", "*", "^", "=",
        "<", ">", "0", "7", "42", "3.14", "2+2=4", "1 + 1", "x^2", "A) ", "b. ", "(c) ", "- ", "* ", "• ", "1. ",
        "12) ", "\n  C: ", "\n\t- ", "café", "Ünïcödé", "naïve", "straße", "Привет", "мир", "Ελληνικά",
        "π", "Π", "√", "≤", "∑", "×", "中文", "日本語", "ひらがな", "ภาษาไทย",
        "한국어", "שלום", "مرحبا", "؟", "？",
        ";", "हिन्दी", "\u00A0", "\u2028", "\u0000", "\u007F", "\u000B", "ſ", "İ", "K", "ǅ", "😀", "a\u0301",
        "def", "return", "solve", "integral", "sqrt", "function", "Lambda", "NULL", "’", "—",
    ];

    private static readonly string[] AsciiPieces = Pieces.Where(p => p.All(c => c < 128)).ToArray();

    [Fact]
    public void Featurize_RandomMixedText_MatchesTheReferenceExactly()
    {
        var random = new Random(20261204);
        for (int trial = 0; trial < 2000; trial++)
        {
            List<ChatMessage> messages = RandomMessages(random, Pieces, random.Next(1, 4), 60);
            AssertMatchesReference(messages, trial % 3 == 0 ? 16 : 64);
        }
    }

    [Fact]
    public void Featurize_RandomAsciiText_MatchesTheReferenceExactly()
    {
        // ASCII text takes the vector path; long texts cross many blocks and chunks.
        var random = new Random(42);
        for (int trial = 0; trial < 1500; trial++)
        {
            List<ChatMessage> messages = RandomMessages(random, AsciiPieces, random.Next(1, 3), trial % 10 == 0 ? 400 : 80);
            AssertMatchesReference(messages, trial % 4 == 0 ? 256 : 64);
        }
    }

    [Fact]
    public void Featurize_AsciiTextWithOneOtherCharacter_MatchesTheReference()
    {
        // One non-ASCII character sends its chunk to the scalar path; the chunks around it stay on the vector path.
        var random = new Random(7);
        for (int trial = 0; trial < 300; trial++)
        {
            string ascii = RandomText(random, AsciiPieces, random.Next(50, 300));
            int at = random.Next(ascii.Length + 1);
            string text = ascii[..at] + Pieces[random.Next(Pieces.Length)] + ascii[at..];
            AssertMatchesReference([new ChatMessage(ChatRole.User, text)], 64);
        }
    }

    [Fact]
    public void Featurize_ManyAndEmptyMessages_MatchTheReference()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 200; trial++)
        {
            var messages = new List<ChatMessage>();
            for (int m = 0; m < random.Next(0, 12); m++)
            {
                ChatRole role = RandomRole(random);
                messages.Add(random.Next(4) switch
                {
                    0 => new ChatMessage(role, ""),
                    1 => new ChatMessage(role, [new TextContent("first part "), new TextContent(RandomText(random, Pieces, 10))]),
                    _ => new ChatMessage(role, RandomText(random, Pieces, random.Next(0, 20))),
                });
            }

            AssertMatchesReference(messages, 64);
        }
    }

    [Fact]
    public void Featurize_AsciiAndNonAsciiVersionsOfAText_BothMatchTheReference()
    {
        const string Ascii = "Could you explain how a contextual bandit would replace this rule? 1. Explore\n2. Exploit";
        string accented = Ascii.Replace('e', 'é').Replace('o', 'ö');
        string cyrillic = Ascii.Replace('a', 'а').Replace('c', 'с');
        foreach (string text in new[] { Ascii, accented, cyrillic, Ascii.ToUpperInvariant(), accented.ToUpperInvariant() })
        {
            AssertMatchesReference([new ChatMessage(ChatRole.User, text)], 64);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("7")]
    [InlineData("é")]
    [InlineData(".")]
    [InlineData("\n")]
    [InlineData("x1")]
    [InlineData("\t\t\t\t\t\t\t\t\t\t")]
    [InlineData("a\n\r\r\r\r\r\r\r\r\r(")]
    public void Featurize_WordsOfEveryLengthAtEveryOffset_MatchTheReference(string before)
    {
        // Words of 1 to 21 letters start after 0 to 10 dots and end at the text's end or before a space, a digit
        // or a non-ASCII letter, so masked reads meet every word length and every offset in a block.
        const string Letters = "AbCdEfGhIjKlMnOpQrStU";
        foreach (string after in new[] { "", " ", "9", "ß", "?", "." })
        {
            for (int offset = 0; offset <= 10; offset++)
            {
                for (int length = 1; length <= Letters.Length; length++)
                {
                    string text = before + new string('.', offset) + Letters[..length] + after;
                    AssertMatchesReference([new ChatMessage(ChatRole.User, text)], 64);
                }
            }
        }
    }

    [Fact]
    public void Featurize_LengthsAroundEveryBlockAndChunkSize_MatchTheReference()
    {
        // A text of words of a few letters, cut to every length around multiples of the block (32), the mask
        // group (64) and the chunk, so that a word ends just before, at and just after every boundary.
        var random = new Random(3);
        string source = RandomText(random, ["ab ", "abcdefg ", "xyz.", "q", "Routing,", "\n- a", "1+2 "], 800);
        const int Chunk = TextScanner.ChunkLength;
        int[] boundaries = [16, 32, 64, 96, 128, Chunk, 2 * Chunk, 3 * Chunk];
        foreach (int boundary in boundaries)
        {
            for (int length = Math.Max(0, boundary - 9); length <= boundary + 9 && length <= source.Length; length++)
            {
                AssertMatchesReference([new ChatMessage(ChatRole.User, source[..length])], 64);
                AssertMatchesReference([new ChatMessage(ChatRole.User, new string('w', length))], 64);
                AssertMatchesReference([new ChatMessage(ChatRole.User, source[..length] + "é")], 64);
            }
        }
    }

    [Fact]
    public void Featurize_WordsAcrossChunkBoundaries_MatchTheReference()
    {
        // A word of every length from 1 to 80 placed so that it straddles the first chunk boundary at every offset.
        for (int length = 1; length <= 80; length += 3)
        {
            for (int shift = -length; shift <= 1; shift++)
            {
                int start = TextScanner.ChunkLength + shift;
                string text = new string(' ', Math.Max(0, start)) + new string('k', length) + " tail";
                AssertMatchesReference([new ChatMessage(ChatRole.User, text)], 64);
            }
        }
    }

    [Fact]
    public void Featurize_LongRunsOfLettersAndPunctuation_MatchTheReference()
    {
        string letters = new('q', 1000);
        string dots = new('.', 1000);
        AssertMatchesReference([new ChatMessage(ChatRole.User, letters + dots + letters + " " + dots)], 64);
        AssertMatchesReference([new ChatMessage(ChatRole.User, dots + "\n- a\n- b\n" + letters)], 256);
        AssertMatchesReference([new ChatMessage(ChatRole.User, new string('ж', 700) + " " + letters)], 64);
    }

    [Fact]
    public void Featurize_LargeDimension_MatchesTheReference()
    {
        // More hashed slots than the stack holds: they are rented from the pool.
        var random = new Random(5);
        AssertMatchesReference([new ChatMessage(ChatRole.User, RandomText(random, Pieces, 3000))], 2048);
    }

    [Fact]
    public void AsciiBlock_VectorAndScalarClassification_Agree()
    {
        // Every ASCII character at every position of a block, in both implementations.
        for (int shift = 0; shift < 128; shift += 7)
        {
            char[] block = Enumerable.Range(0, AsciiBlock.Length).Select(i => (char)((i * 5 + shift) % 128)).ToArray();
            var vectorBytes = new byte[AsciiBlock.Length];
            var scalarBytes = new byte[AsciiBlock.Length];
            uint vectorAscii = AsciiBlock.Classify(
                ref block[0], ref vectorBytes[0], out uint words, out uint letters, out uint markers);
            uint scalarAscii = AsciiBlock.ClassifyScalar(ref block[0], ref scalarBytes[0], out uint w, out uint l, out uint m);

            (vectorAscii, words, letters, markers).Should().Be((scalarAscii, w, l, m));
            vectorBytes.Should().Equal(scalarBytes);
            for (int i = 0; i < AsciiBlock.Length; i++)
            {
                ((words >> i) & 1).Should().Be(char.IsAsciiLetterOrDigit(block[i]) ? 1u : 0u);
                ((letters >> i) & 1).Should().Be(char.IsAsciiLetter(block[i]) ? 1u : 0u);
                ((markers >> i) & 1).Should().Be("\n\v*+;<=>?\\^`{}".Contains(block[i]) ? 1u : 0u);
            }
        }
    }

    private static void AssertMatchesReference(List<ChatMessage> messages, int dimension)
    {
        var actual = new float[dimension];
        var expected = new float[dimension];

        new HashingPromptFeaturizer(dimension).Featurize(messages, actual);
        ReferenceFeaturizer.Featurize(messages, expected);

        actual.Select(BitConverter.SingleToInt32Bits).Should().Equal(
            expected.Select(BitConverter.SingleToInt32Bits),
            "the text was {0}",
            string.Join(" | ", messages.Select(m => m.Text)));
    }

    private static List<ChatMessage> RandomMessages(
        Random random,
        string[] pieces,
        int count,
        int maxPieces)
    {
        var messages = new List<ChatMessage>(count);
        for (int m = 0; m < count; m++)
        {
            messages.Add(new ChatMessage(RandomRole(random), RandomText(random, pieces, random.Next(0, maxPieces))));
        }

        return messages;
    }

    private static ChatRole RandomRole(Random random) =>
        random.Next(4) switch { 0 => ChatRole.System, 1 => ChatRole.Assistant, _ => ChatRole.User };

    private static string RandomText(
        Random random,
        string[] pieces,
        int count)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            text.Append(pieces[random.Next(pieces.Length)]);
        }

        return text.ToString();
    }
}

using System.Text;
using MetaModel.Features;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Features;

/// <summary>
/// The block-wise scanner (four ASCII letters per step, runs of punctuation, a table of ASCII character kinds)
/// must give exactly the features of the character-at-a-time <see cref="ReferenceFeaturizer"/>.
/// </summary>
public class HashingPromptFeaturizerFastPathTests
{
    private static readonly string[] Pieces =
    [
        "a", "B", "routing", "ROUTER", "Featurize", "x", "ab", "abc", "abcd", "abcde", "internationalization",
        " ", "  ", "\t", "\r\n", "\n", "\n\n", ".", "...", ",", ":", "(", ")", "\"", "'", "-", "_", "@", "[", "]",
        "|", "~", "/", "#", "!", "%", "&", "$", "?", "{", "}", ";", "`", "```", "\\", "\\frac", "+", "*", "^", "=",
        "<", ">", "0", "7", "42", "3.14", "2+2=4", "1 + 1", "x^2", "A) ", "b. ", "(c) ", "- ", "* ", "• ", "1. ",
        "12) ", "café", "Ünïcödé", "naïve", "straße", "Привет", "мир", "Ελληνικά",
        "π", "√", "≤", "∑", "×", "中文", "日本語", "ひらがな", "ภาษาไทย",
        "한국어", "שלום", "مرحبا", "؟", "？", ";", "हिन्दी", "\u00A0", "\u2028", "\u0000",
        "\u007F", "ſ", "İ", "ǅ", "def", "return", "solve", "integral", "sqrt", "function", "Lambda", "NULL",
    ];

    [Fact]
    public void Featurize_RandomMixedText_MatchesTheReferenceExactly()
    {
        var random = new Random(20261204);
        for (int trial = 0; trial < 2000; trial++)
        {
            int messageCount = random.Next(1, 4);
            var messages = new List<ChatMessage>(messageCount);
            for (int m = 0; m < messageCount; m++)
            {
                ChatRole role = random.Next(4) switch { 0 => ChatRole.System, 1 => ChatRole.Assistant, _ => ChatRole.User };
                messages.Add(new ChatMessage(role, RandomText(random, random.Next(0, 60))));
            }

            AssertMatchesReference(messages, trial % 3 == 0 ? 16 : 64);
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
        // or a non-ASCII letter, so four-letter reads meet every chunk boundary and every tail length, and runs
        // of punctuation end just before, at and after the length where a vector search takes over.
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
    public void Featurize_LongRunsOfLettersAndPunctuation_MatchTheReference()
    {
        string letters = new('q', 1000);
        string dots = new('.', 1000);
        AssertMatchesReference([new ChatMessage(ChatRole.User, letters + dots + letters + " " + dots)], 64);
        AssertMatchesReference([new ChatMessage(ChatRole.User, dots + "\n- a\n- b\n" + letters)], 256);
    }

    private static void AssertMatchesReference(List<ChatMessage> messages, int dimension)
    {
        var actual = new float[dimension];
        var expected = new float[dimension];

        new HashingPromptFeaturizer(dimension).Featurize(messages, actual);
        ReferenceFeaturizer.Featurize(messages, expected);

        // Bit for bit, so that models trained on earlier versions stay valid.
        actual.Select(BitConverter.SingleToInt32Bits).Should().Equal(
            expected.Select(BitConverter.SingleToInt32Bits),
            "the text was {0}",
            string.Join(" | ", messages.Select(m => m.Text)));
    }

    private static string RandomText(Random random, int pieces)
    {
        var text = new StringBuilder();
        for (int i = 0; i < pieces; i++)
        {
            text.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return text.ToString();
    }
}

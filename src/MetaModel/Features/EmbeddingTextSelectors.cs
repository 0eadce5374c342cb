using Microsoft.Extensions.AI;

namespace MetaModel.Features;

/// <summary>
/// Built-in choices for <see cref="EmbeddingPromptFeaturizerOptions.TextSelector"/>: which part of a request an
/// <see cref="EmbeddingPromptFeaturizer"/> embeds.
/// </summary>
/// <remarks>
/// <para>
/// Sentence-embedding models read a bounded window of tokens and drop the rest of a longer input, usually its end.
/// When requests share a long preamble (a system prompt, few-shot examples, a retrieved document) and the part that
/// differs comes last, embedding every message would embed mostly the shared preamble, and every request would look
/// alike. These selectors embed the part that says what is asked: the last user message, or only its end.
/// </para>
/// <para>Thread safety: the selectors are stateless and can be called concurrently.</para>
/// </remarks>
public static class EmbeddingTextSelectors
{
    /// <summary>
    /// A selector that returns the text of the last message whose role is <see cref="ChatRole.User"/>, or an empty
    /// string when there is none (the request is then featurized without an embedding).
    /// </summary>
    public static Func<IEnumerable<ChatMessage>, string> LastUserMessage { get; } = SelectLastUserMessage;

    /// <summary>
    /// Creates a selector that returns at most the last <paramref name="maxCharacters"/> characters of the last user
    /// message, starting at a word boundary when one lies within that tail.
    /// </summary>
    /// <param name="maxCharacters">The largest number of characters returned; at least 1.</param>
    /// <returns>The selector; empty when there is no user message.</returns>
    /// <remarks>
    /// Choose <paramref name="maxCharacters"/> from the embedding model's input window: about four characters per
    /// token for English text, so 1,000 characters for a model trained on 256 tokens. The tail never splits a
    /// surrogate pair, and leading white space is trimmed.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCharacters"/> is less than 1.</exception>
    public static Func<IEnumerable<ChatMessage>, string> LastUserMessageTail(int maxCharacters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCharacters, 1);
        return messages => Tail(SelectLastUserMessage(messages), maxCharacters);
    }

    private static string SelectLastUserMessage(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string text = string.Empty;
        foreach (ChatMessage message in messages)
        {
            if (message.Role == ChatRole.User)
            {
                text = message.Text;
            }
        }

        return text;
    }

    private static string Tail(string text, int maxCharacters)
    {
        if (text.Length <= maxCharacters)
        {
            return text.TrimStart();
        }

        int start = text.Length - maxCharacters;

        // A tail that begins inside a word would make the embedding model see a fragment; begin after the next
        // white space instead, unless the tail has none (one very long token), and never between two surrogates.
        if (!char.IsWhiteSpace(text[start - 1]))
        {
            int next = start;
            while (next < text.Length && !char.IsWhiteSpace(text[next]))
            {
                next++;
            }

            if (!text.AsSpan(next).IsWhiteSpace())
            {
                start = next;
            }
            else if (char.IsLowSurrogate(text[start]))
            {
                start++;
            }
        }

        return text[start..].TrimStart();
    }
}

using Microsoft.Extensions.AI;

namespace MetaModel.Routing;

/// <summary>Estimates token counts from text when a model reports none.</summary>
/// <remarks>
/// The estimate is one token per four characters, rounded up, plus four tokens of framing per message, and a flat
/// 765 tokens per image (the cost of one high-detail tile set in common vision models). It errs on the high side for
/// English and on the low side for scripts without spaces; it is used for eligibility and for costs marked
/// as estimated, never for billing.
/// </remarks>
public static class TokenEstimator
{
    private const int CharactersPerToken = 4;
    private const int TokensPerMessage = 4;
    private const int TokensPerImage = 765;

    /// <summary>Estimates the tokens of a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The estimated token count; zero for an empty text.</returns>
    public static int ForText(ReadOnlySpan<char> text) => (text.Length + CharactersPerToken - 1) / CharactersPerToken;

    /// <summary>Estimates the tokens of a text of the given length.</summary>
    /// <param name="characters">The number of characters.</param>
    /// <returns>The estimated token count; zero for no characters.</returns>
    public static long ForCharacterCount(long characters) =>
        characters <= 0 ? 0 : (characters + CharactersPerToken - 1) / CharactersPerToken;

    /// <summary>Estimates the prompt tokens of a list of messages.</summary>
    /// <param name="messages">The messages.</param>
    /// <returns>The estimated token count.</returns>
    public static int ForMessages(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);

        long total = 0;
        foreach (ChatMessage message in messages)
        {
            total += TokensPerMessage;
            foreach (AIContent content in message.Contents)
            {
                total += content switch
                {
                    TextContent text => ForText(text.Text),
                    TextReasoningContent reasoning => ForText(reasoning.Text),
                    DataContent data when data.HasTopLevelMediaType("image") => TokensPerImage,
                    UriContent uri when uri.HasTopLevelMediaType("image") => TokensPerImage,
                    FunctionCallContent call => ForText(call.Name) + ForArguments(call.Arguments),
                    FunctionResultContent result => ForText(result.Result?.ToString()),
                    _ => 0,
                };
            }
        }

        return (int)Math.Min(total, int.MaxValue);
    }

    private static int ForArguments(IDictionary<string, object?>? arguments)
    {
        if (arguments is null)
        {
            return 0;
        }

        int total = 0;
        foreach (KeyValuePair<string, object?> pair in arguments)
        {
            total += ForText(pair.Key) + ForText(pair.Value?.ToString());
        }

        return total;
    }
}

using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Fakes;

/// <summary>Calls a chat client the streaming or the non-streaming way and gives one response either way.</summary>
public static class Chat
{
    public static List<ChatMessage> Prompt(string text) => [new ChatMessage(ChatRole.User, text)];

    public static async Task<(ChatResponse Response, List<ChatResponseUpdate> Updates)> CallAsync(
        IChatClient client,
        bool streaming,
        string prompt = "What is 2 + 2?",
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (!streaming)
        {
            return (await client.GetResponseAsync(Prompt(prompt), options, cancellationToken), []);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Prompt(prompt), options, cancellationToken))
        {
            updates.Add(update);
        }

        return (updates.ToChatResponse(), updates);
    }
}

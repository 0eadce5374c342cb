using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MetaModel.Gateway.Perf;

/// <summary>A candidate that answers at once, so only routing and the gateway are measured.</summary>
internal sealed class InstantChatClient : IChatClient
{
    private static readonly UsageDetails s_usage = new() { InputTokenCount = 12, OutputTokenCount = 4, TotalTokenCount = 16 };

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "The answer is four."))
        {
            ModelId = "instant-1",
            FinishReason = ChatFinishReason.Stop,
            Usage = s_usage,
        });

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        foreach (string word in (string[])["The", " answer", " is", " four."])
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, word) { ModelId = "instant-1" };
        }

        yield return new ChatResponseUpdate
        {
            FinishReason = ChatFinishReason.Stop,
            ModelId = "instant-1",
            Contents = [new UsageContent(s_usage)],
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

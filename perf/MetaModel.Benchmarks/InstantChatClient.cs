using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MetaModel.Benchmarks;

/// <summary>A candidate that answers at once with usage, so only the router's own work is measured.</summary>
internal sealed class InstantChatClient(string name = "instant-1") : IChatClient
{
    /// <summary>Gets the model name the client reports.</summary>
    public string Name { get; } = name;

    private static readonly UsageDetails s_usage = new() { InputTokenCount = 12, OutputTokenCount = 4 };

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Four."))
        {
            ModelId = Name,
            FinishReason = ChatFinishReason.Stop,
            Usage = s_usage,
        });

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield return new ChatResponseUpdate(ChatRole.Assistant, "Four.") { ModelId = Name };
        yield return new ChatResponseUpdate
        {
            FinishReason = ChatFinishReason.Stop,
            ModelId = Name,
            Contents = [new UsageContent(s_usage)],
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

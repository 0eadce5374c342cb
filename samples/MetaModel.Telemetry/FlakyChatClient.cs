using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MetaModel.TelemetrySample;

/// <summary>A stand-in model: answers after a short delay, and fails every <c>failEvery</c>-th call before any output.</summary>
internal sealed class FlakyChatClient(string modelId, string provider, TimeSpan delay, int failEvery = 0) : IChatClient
{
    private readonly ChatClientMetadata _metadata = new(provider, new Uri("http://127.0.0.1:9/v1"), modelId);
    private int _calls;

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, $"{modelId} says hello."))
        {
            ModelId = modelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 42, OutputTokenCount = 5 },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken);
        foreach (string word in (string[])[modelId, " says", " hello."])
        {
            await Task.Delay(delay / 4, cancellationToken);
            yield return new ChatResponseUpdate(ChatRole.Assistant, word) { ModelId = modelId };
        }

        yield return new ChatResponseUpdate
        {
            ModelId = modelId,
            FinishReason = ChatFinishReason.Stop,
            Contents = [new UsageContent(new UsageDetails { InputTokenCount = 42, OutputTokenCount = 5 })],
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? _metadata : null;

    public void Dispose()
    {
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        if (failEvery > 0 && Interlocked.Increment(ref _calls) % failEvery == 0)
        {
            throw new HttpRequestException($"{modelId} is overloaded (simulated 503).");
        }
    }
}

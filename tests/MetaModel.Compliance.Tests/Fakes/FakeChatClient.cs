using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MetaModel.Compliance.Tests.Fakes;

/// <summary>A chat client that answers a fixed text, or throws, both ways.</summary>
public sealed class FakeChatClient : IChatClient
{
    public FakeChatClient(string answer = "The answer is 4.", Func<Exception>? error = null, Uri? endpoint = null)
    {
        Answer = answer;
        Error = error;
        Metadata = new ChatClientMetadata("fake-provider", endpoint, "fake-model-1");
    }

    public string Answer { get; }

    public Func<Exception>? Error { get; }

    public ChatClientMetadata Metadata { get; }

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (Error is not null)
        {
            throw Error();
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer))
        {
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 20, OutputTokenCount = 5 },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Error is not null)
        {
            throw Error();
        }

        foreach (string word in Answer.Split(' '))
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ");
        }

        var last = new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop };
        last.Contents.Add(new UsageContent(new UsageDetails { InputTokenCount = 20, OutputTokenCount = 5 }));
        yield return last;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? Metadata : null;

    public void Dispose()
    {
    }
}

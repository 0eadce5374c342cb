using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Fakes;

/// <summary>A chat client whose answers are set by callbacks, counting its calls.</summary>
public sealed class FakeChatClient : IChatClient
{
    private int _calls;

    public FakeChatClient(string name = "fake")
    {
        Name = name;
    }

    public string Name { get; }

    public int Calls => _calls;

    public List<ChatOptions?> ReceivedOptions { get; } = [];

    public List<IEnumerable<ChatMessage>> ReceivedMessages { get; } = [];

    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>>? OnGetResponse { get; set; }

    public Func<
        IEnumerable<ChatMessage>,
        ChatOptions?,
        CancellationToken,
        IAsyncEnumerable<ChatResponseUpdate>>? OnStream { get; set; }

    public int DisposedEnumerators { get; private set; }

    /// <summary>A client that answers <paramref name="text"/> with the given usage, streaming it in words.</summary>
    public static FakeChatClient Answering(string name, string text, UsageDetails? usage = null, ChatFinishReason? finish = null)
    {
        var client = new FakeChatClient(name);
        client.OnGetResponse = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            Usage = usage,
            FinishReason = finish ?? ChatFinishReason.Stop,
            ModelId = name + "-model",
        });
        client.OnStream = (_, _, ct) => StreamWords(text, usage, finish ?? ChatFinishReason.Stop, name + "-model", ct);
        return client;
    }

    /// <summary>A client that always throws <paramref name="error"/>, before any output.</summary>
    public static FakeChatClient Failing(string name, Func<Exception> error)
    {
        var client = new FakeChatClient(name);
        client.OnGetResponse = (_, _, _) => Task.FromException<ChatResponse>(error());
        client.OnStream = (_, _, _) => Throwing(error);
        return client;
    }

    public static async IAsyncEnumerable<ChatResponseUpdate> StreamWords(
        string text,
        UsageDetails? usage,
        ChatFinishReason? finish,
        string? modelId,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string[] words = text.Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? words[i] : " " + words[i]) { ModelId = modelId };
        }

        var last = new ChatResponseUpdate { FinishReason = finish, ModelId = modelId };
        if (usage is not null)
        {
            last.Contents.Add(new UsageContent(usage));
        }

        yield return last;
    }

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        lock (ReceivedOptions)
        {
            ReceivedOptions.Add(options);
            ReceivedMessages.Add(messages);
        }

        return OnGetResponse is null
            ? throw new InvalidOperationException($"{Name} has no response set.")
            : OnGetResponse(messages, options, cancellationToken);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        lock (ReceivedOptions)
        {
            ReceivedOptions.Add(options);
            ReceivedMessages.Add(messages);
        }

        if (OnStream is null)
        {
            throw new InvalidOperationException($"{Name} has no stream set.");
        }

        try
        {
            await foreach (ChatResponseUpdate update in
                OnStream(messages, options, cancellationToken).WithCancellation(cancellationToken))
            {
                yield return update;
            }
        }
        finally
        {
            DisposedEnumerators++;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Throwing(Func<Exception> error)
    {
        await Task.Yield();
        throw error();
#pragma warning disable CS0162 // Unreachable: the yield makes this method an iterator.
        yield break;
#pragma warning restore CS0162
    }
}

using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MetaModel.Gateway.Tests.Infrastructure;

/// <summary>A candidate model that answers a fixed text with fixed usage, or fails, counting its calls.</summary>
public sealed class ScriptedChatClient : IChatClient
{
    private int _calls;

    public ScriptedChatClient(string modelId, string answer, UsageDetails? usage = null)
    {
        ModelId = modelId;
        Answer = answer;
        Usage = usage;
    }

    public string ModelId { get; }

    public string Answer { get; set; }

    public UsageDetails? Usage { get; set; }

    public Func<Exception>? Failure { get; set; }

    /// <summary>Gets or sets after how many words a stream breaks off with an error; never when null.</summary>
    public int? BreakAfterWords { get; set; }

    /// <summary>Gets or sets after how many words a stream waits until it is cancelled; never when null.</summary>
    public int? StallAfterWords { get; set; }

    /// <summary>Gets or sets a task that every answer waits for, so that requests can be kept running; none when null.</summary>
    public Task? Hold { get; set; }

    public int Calls => _calls;

    public ChatOptions? LastOptions { get; private set; }

    public IReadOnlyList<ChatMessage> LastMessages { get; private set; } = [];

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Record(messages, options);
        if (Hold is { } hold)
        {
            await hold.WaitAsync(cancellationToken);
        }

        if (Failure is { } failure)
        {
            throw failure();
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer))
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = Usage,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Record(messages, options);
        await Task.Yield();
        if (Failure is { } failure)
        {
            throw failure();
        }

        string[] words = Answer.Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (i == StallAfterWords)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (i == BreakAfterWords)
            {
                // A message naming an internal address, which must reach the server's log only.
                throw new HttpRequestException(
                    "upstream connection reset (10.0.0.7:8000)",
                    null,
                    System.Net.HttpStatusCode.BadGateway);
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? words[i] : " " + words[i]) { ModelId = ModelId };
        }

        var last = new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop, ModelId = ModelId };
        if (Usage is not null)
        {
            last.Contents.Add(new UsageContent(Usage));
        }

        yield return last;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private void Record(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        Interlocked.Increment(ref _calls);
        LastOptions = options;
        LastMessages = messages.ToList();
    }
}

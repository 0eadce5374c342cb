using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MetaModel.LoadRun;

/// <summary>
/// Adds the time spent inside the provider's client (HTTP, parsing) to the current request's total, so that the
/// router's own overhead is the request's wall time less that total.
/// </summary>
internal sealed class TimingChatClient : DelegatingChatClient
{
    private static readonly AsyncLocal<StrongBox<long>?> s_inside = new();

    public TimingChatClient(IChatClient inner)
        : base(inner)
    {
    }

    /// <summary>Starts counting for the current asynchronous flow and returns the counter.</summary>
    public static StrongBox<long> Begin() => s_inside.Value = new StrongBox<long>();

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        finally
        {
            Add(Stopwatch.GetTimestamp() - start);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long start = Stopwatch.GetTimestamp();
        IAsyncEnumerator<ChatResponseUpdate> enumerator = base
            .GetStreamingResponseAsync(messages, options, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        Add(Stopwatch.GetTimestamp() - start);
        try
        {
            while (true)
            {
                start = Stopwatch.GetTimestamp();
                bool hasNext;
                try
                {
                    hasNext = await enumerator.MoveNextAsync();
                }
                finally
                {
                    Add(Stopwatch.GetTimestamp() - start);
                }

                if (!hasNext)
                {
                    break;
                }

                yield return enumerator.Current;
            }
        }
        finally
        {
            start = Stopwatch.GetTimestamp();
            await enumerator.DisposeAsync();
            Add(Stopwatch.GetTimestamp() - start);
        }
    }

    private static void Add(long ticks)
    {
        if (s_inside.Value is { } box)
        {
            Interlocked.Add(ref box.Value, ticks);
        }
    }
}

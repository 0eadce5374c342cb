using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Fakes;

/// <summary>Streams of candidate updates, whole and broken in the ways providers break them.</summary>
public static class Streams
{
    /// <summary>A role update, then <paramref name="count"/> word updates, then a finish (or none), with usage.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> Chunks(
        int count,
        ChatFinishReason? finish,
        UsageDetails? usage = null,
        TimeSpan delay = default,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new ChatResponseUpdate(ChatRole.Assistant, "");
        for (int i = 0; i < count; i++)
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }
            else
            {
                await Task.Yield();
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, $"c{i} ");
        }

        if (finish is not null || usage is not null)
        {
            var last = new ChatResponseUpdate { FinishReason = finish };
            if (usage is not null)
            {
                last.Contents.Add(new UsageContent(usage));
            }

            yield return last;
        }
    }

    /// <summary><paramref name="count"/> word updates, then no more updates until cancelled.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> ThenStall(
        int count,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new ChatResponseUpdate(ChatRole.Assistant, "");
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, $"c{i} ");
        }

        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    /// <summary><paramref name="count"/> word updates, then an update that cannot be read.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> ThenMalformed(int count)
    {
        yield return new ChatResponseUpdate(ChatRole.Assistant, "");
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, $"c{i} ");
        }

        throw new JsonException("'{' is an invalid start of a property name.");
    }

    /// <summary>A normal start (a role update), then an error instead of the first output.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> ErrorFirst(string code)
    {
        yield return new ChatResponseUpdate(ChatRole.Assistant, "");
        await Task.Yield();
        yield return new ChatResponseUpdate(
            ChatRole.Assistant,
            [new ErrorContent("The server is overloaded.") { ErrorCode = code }]);
        yield return new ChatResponseUpdate(ChatRole.Assistant, "never seen");
    }

    /// <summary>Waits for <paramref name="gate"/>, then throws <paramref name="error"/> before any update.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> FailAfter(Task gate, Exception error)
    {
        await gate;
        throw error;
#pragma warning disable CS0162 // Unreachable: the yield makes this method an iterator.
        yield break;
#pragma warning restore CS0162
    }
}

using System.Runtime.CompilerServices;
using MetaModel.Telemetry;
using Microsoft.Extensions.AI;

namespace MetaModel.Resilience;

/// <summary>
/// Wraps one candidate's client so that its faults become visible: attempt timeouts, streams that end without a
/// finish reason, unreadable updates and errors sent inside a stream all become exceptions.
/// </summary>
/// <remarks>
/// <para>
/// Leading stream updates that carry no output (a role, an empty text, usage) are held back until the first
/// output arrives, so that a stream failing right after its preamble still fails before anything reached the
/// caller and can be failed over. Held updates are then passed on first, in order; nothing is reordered or
/// dropped, and every update is passed on exactly once.
/// </para>
/// <para>
/// A candidate that does not stop when its token is cancelled (by the caller or an attempt timeout) is not waited
/// for: the attempt ends at once and the candidate's call or stream is left to end on its own, its late errors
/// observed and its stream disposed of when it does. A candidate that returns null instead of an answer or a stream
/// fails the attempt as <see cref="FaultKind.StreamMalformed"/>.
/// </para>
/// <para>The wrapper keeps no per-request state and is thread-safe.</para>
/// </remarks>
internal sealed class GuardedChatClient : DelegatingChatClient
{
    private readonly string _candidateId;
    private readonly FailoverOptions _options;
    private readonly TimeProvider _timeProvider;

    public GuardedChatClient(IChatClient inner, string candidateId, FailoverOptions options, TimeProvider timeProvider)
        : base(inner)
    {
        _candidateId = candidateId;
        _options = options;
        _timeProvider = timeProvider;
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        RoutingTelemetry.EnterAttempt(messages);
        if (_options.AttemptTimeout is null)
        {
            return Check(await CallAsync(messages, options, cancellationToken).ConfigureAwait(false));
        }

        using var timer = new AttemptTimer(_options.AttemptTimeout, null, _timeProvider, cancellationToken);
        try
        {
            return Check(await CallAsync(messages, options, timer.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException ex) when (timer.Expired is { } phase && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(phase, ex);
        }
    }

    /// <summary>
    /// Calls the candidate and waits for its answer only as long as <paramref name="cancellationToken"/> allows: a
    /// candidate that does not look at its token is left behind rather than waited for forever.
    /// </summary>
    private async Task<ChatResponse> CallAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        CancellationToken cancellationToken)
    {
        Task<ChatResponse>? call = base.GetResponseAsync(messages, options, cancellationToken);
        if (call is null)
        {
            throw Malformed("returned null instead of a response task");
        }

        try
        {
            return await call.WaitAsync(cancellationToken).ConfigureAwait(false) ?? throw Malformed("answered null");
        }
        catch (OperationCanceledException) when (!call.IsCompleted)
        {
            Abandon(call);
            throw;
        }
    }

    /// <summary>Observes a call left behind, so that its late failure is neither thrown nor reported as unobserved.</summary>
    private static void Abandon(Task call) =>
        _ = call.ContinueWith(
            static task => _ = task.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);

    /// <summary>Disposes of a stream left behind mid-update once its pending update ends, without waiting for it.</summary>
    private static void DisposeWhenDone(Task pending, IAsyncEnumerator<ChatResponseUpdate> enumerator) =>
        Abandon(pending.ContinueWith(
                static (task, state) =>
                {
                    _ = task.Exception;
                    return ((IAsyncEnumerator<ChatResponseUpdate>)state!).DisposeAsync().AsTask();
                },
                enumerator,
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default)
            .Unwrap());

    private StreamFaultException Malformed(string what) =>
        new(FaultKind.StreamMalformed, _candidateId, 0, $"Candidate '{_candidateId}' {what}.");

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RoutingTelemetry.EnterAttempt(messages);
        using var timer = new AttemptTimer(
            _options.AttemptTimeout,
            _options.FirstUpdateTimeout,
            _timeProvider,
            cancellationToken);
        IAsyncEnumerator<ChatResponseUpdate> enumerator =
            (base.GetStreamingResponseAsync(messages, options, timer.Token)
                ?? throw Malformed("returned null instead of a stream"))
            .GetAsyncEnumerator(timer.Token)
            ?? throw Malformed("returned a stream without an enumerator");
        List<ChatResponseUpdate>? held = null;
        bool exposed = false;
        bool finished = false;
        int received = 0;
        Task<bool>? abandoned = null;
        try
        {
            while (true)
            {
                bool hasNext;
                ValueTask<bool> next = enumerator.MoveNextAsync();
                try
                {
                    if (next.IsCompleted)
                    {
                        hasNext = await next.ConfigureAwait(false);
                    }
                    else
                    {
                        // A candidate that does not look at its token is left behind rather than waited for forever.
                        Task<bool> pending = next.AsTask();
                        try
                        {
                            hasNext = await pending.WaitAsync(timer.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!pending.IsCompleted)
                        {
                            abandoned = pending;
                            throw;
                        }
                    }
                }
                catch (OperationCanceledException ex) when (
                    timer.Expired is { } phase && !cancellationToken.IsCancellationRequested)
                {
                    throw TimedOut(phase, ex);
                }

                if (!hasNext)
                {
                    break;
                }

                ChatResponseUpdate? update = enumerator.Current;
                received++;
                if (update is null)
                {
                    throw new StreamFaultException(
                        FaultKind.StreamMalformed,
                        _candidateId,
                        received,
                        $"Candidate '{_candidateId}' sent an empty update {received}.");
                }

                if (FindError(update) is { } error)
                {
                    throw new StreamFaultException(
                        FaultKind.StreamError,
                        _candidateId,
                        received,
                        $"Candidate '{_candidateId}' sent an error in update {received}: {error.Message}",
                        error.ErrorCode);
                }

                finished |= update.FinishReason is not null;
                if (!exposed)
                {
                    if (!HasOutput(update))
                    {
                        (held ??= []).Add(update);
                        continue;
                    }

                    exposed = true;
                    timer.OutputArrived();
                    if (held is not null)
                    {
                        foreach (ChatResponseUpdate waiting in held)
                        {
                            yield return waiting;
                        }

                        held = null;
                    }
                }

                yield return update;
            }

            if (!finished)
            {
                throw new StreamFaultException(
                    FaultKind.StreamTruncated,
                    _candidateId,
                    received,
                    $"The stream of candidate '{_candidateId}' ended without a finish reason after {received} updates.");
            }

            if (held is not null)
            {
                // A finished stream without output, such as an empty answer: its updates are the whole answer.
                foreach (ChatResponseUpdate waiting in held)
                {
                    yield return waiting;
                }
            }
        }
        finally
        {
            if (abandoned is { IsCompleted: false })
            {
                DisposeWhenDone(abandoned, enumerator);
            }
            else
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether an update carries something a caller would show or act on.</summary>
    internal static bool HasOutput(ChatResponseUpdate update)
    {
        foreach (AIContent content in update.Contents)
        {
            switch (content)
            {
                case TextContent text when string.IsNullOrEmpty(text.Text):
                case TextReasoningContent reasoning when string.IsNullOrEmpty(reasoning.Text):
                case UsageContent:
                    continue;
                default:
                    return true;
            }
        }

        return false;
    }

    private static ErrorContent? FindError(ChatResponseUpdate update)
    {
        foreach (AIContent content in update.Contents)
        {
            if (content is ErrorContent error)
            {
                return error;
            }
        }

        return null;
    }

    private ChatResponse Check(ChatResponse response)
    {
        // A response made of an error and nothing else is a failure, not an answer.
        foreach (ChatMessage message in response.Messages)
        {
            foreach (AIContent content in message.Contents)
            {
                if (content is not ErrorContent)
                {
                    return response;
                }
            }
        }

        ErrorContent? error = response.Messages.SelectMany(m => m.Contents).OfType<ErrorContent>().FirstOrDefault();
        return error is null
            ? response
            : throw new StreamFaultException(
                FaultKind.StreamError,
                _candidateId,
                0,
                $"Candidate '{_candidateId}' answered with an error: {error.Message}",
                error.ErrorCode);
    }

    private AttemptTimeoutException TimedOut(AttemptTimeoutPhase phase, Exception cause) =>
        new(
            _candidateId,
            phase,
            phase == AttemptTimeoutPhase.FirstUpdate ? _options.FirstUpdateTimeout!.Value : _options.AttemptTimeout!.Value,
            cause);
}

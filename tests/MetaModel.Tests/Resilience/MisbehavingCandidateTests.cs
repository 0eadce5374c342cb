using MetaModel.Compliance;
using MetaModel.Resilience;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Resilience;

/// <summary>
/// Candidates that break the <see cref="IChatClient"/> contract: they throw instead of returning a task, return null
/// instead of an answer or a stream, or hang without looking at their cancellation token.
/// </summary>
public sealed class MisbehavingCandidateTests
{
    private static readonly TimeSpan s_realTimeBound = TimeSpan.FromSeconds(10);

    private readonly TestRouter _test = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ThrowsSynchronously_IsAFailedAttempt_AndTheNextCandidateAnswers(bool streaming)
    {
        var a = new RawChatClient
        {
            Response = () => throw new HttpRequestException("down", null, System.Net.HttpStatusCode.BadGateway),
            Stream = () => throw new HttpRequestException("down", null, System.Net.HttpStatusCode.BadGateway),
        };
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(TestRouter.Candidate("A", a), TestRouter.Candidate("B", b));

        var (response, _) = await Chat.CallAsync(router, streaming);

        response.Text.Should().Be("from b");
        AttemptRecord failed = _test.Recorder.Attempts[0];
        failed.CandidateId.Should().Be("A");
        failed.Fault.Should().Be(FaultKind.ServerError);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task ReturnsNullInsteadOfAnAnswerOrAStream_IsAMalformedAnswer_AndTheNextCandidateAnswers(
        bool streaming,
        bool nullTask)
    {
        var a = new RawChatClient
        {
            Response = () => nullTask ? null! : Task.FromResult<ChatResponse>(null!),
            Stream = () => null!,
        };
        var b = FakeChatClient.Answering("b", "from b");
        using var router = _test.Create(TestRouter.Candidate("A", a), TestRouter.Candidate("B", b));

        var (response, _) = await Chat.CallAsync(router, streaming);

        response.Text.Should().Be("from b");
        AttemptRecord failed = _test.Recorder.Attempts[0];
        failed.ErrorKind.Should().Be(nameof(StreamFaultException));
        failed.Fault.Should().Be(FaultKind.StreamMalformed);
        failed.ErrorMessage.Should().Contain("'A'").And.Contain("null");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HangsIgnoringItsToken_TheAttemptTimeoutStillFailsOver(bool streaming)
    {
        var a = new RawChatClient
        {
            Response = () => new TaskCompletionSource<ChatResponse>().Task,
            Stream = () => Hang(),
        };
        var b = FakeChatClient.Answering("b", "in time");
        using var router = _test.Create(
            o => o.Failover.AttemptTimeout = TimeSpan.FromSeconds(30),
            TestRouter.Candidate("A", a),
            TestRouter.Candidate("B", b));

        var (response, _) = await Clock
            .RunAsync(_test.Time, () => Chat.CallAsync(router, streaming), TimeSpan.FromSeconds(1))
            .WaitAsync(s_realTimeBound);

        response.Text.Should().Be("in time");
        _test.Recorder.Attempts[0].ErrorKind.Should().Be(nameof(AttemptTimeoutException));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HangsIgnoringItsToken_TheCallersCancellationStillEndsTheCall(bool streaming)
    {
        var a = new RawChatClient
        {
            Response = () => new TaskCompletionSource<ChatResponse>().Task,
            Stream = () => Hang(),
        };
        var b = FakeChatClient.Answering("b", "never");
        using var router = _test.Create(TestRouter.Candidate("A", a), TestRouter.Candidate("B", b));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Func<Task> act = () =>
            Chat.CallAsync(router, streaming, cancellationToken: cancellation.Token).WaitAsync(s_realTimeBound);

        await act.Should().ThrowAsync<OperationCanceledException>();
        b.Calls.Should().Be(0, "a cancellation is never failed over");
        _test.Recorder.Outcomes.Should().ContainSingle().Which.Succeeded.Should().BeFalse();
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Hang()
    {
        yield return new ChatResponseUpdate(ChatRole.Assistant, "");
        await new TaskCompletionSource().Task;
    }

    /// <summary>A client that returns whatever its delegates return, without an async wrapper in between.</summary>
    private sealed class RawChatClient : IChatClient
    {
        public Func<Task<ChatResponse>> Response { get; init; } = () => throw new InvalidOperationException("unset");

        public Func<IAsyncEnumerable<ChatResponseUpdate>> Stream { get; init; } =
            () => throw new InvalidOperationException("unset");

        public Task<ChatResponse> GetResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            CancellationToken cancellationToken = default) => Response();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages,
            ChatOptions? options = null,
            CancellationToken cancellationToken = default) => Stream();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}

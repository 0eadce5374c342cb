using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MetaModel.Resilience;
using MetaModel.Tests.Fakes;

namespace MetaModel.Tests.Resilience;

public sealed class FaultClassifierTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(429, FaultKind.RateLimited, FaultAction.Retry, true)]
    [InlineData(408, FaultKind.Timeout, FaultAction.Retry, true)]
    [InlineData(500, FaultKind.ServerError, FaultAction.Retry, true)]
    [InlineData(502, FaultKind.ServerError, FaultAction.Retry, true)]
    [InlineData(503, FaultKind.Overloaded, FaultAction.Retry, true)]
    [InlineData(529, FaultKind.Overloaded, FaultAction.Retry, true)]
    [InlineData(401, FaultKind.Unauthorized, FaultAction.Stop, true)]
    [InlineData(403, FaultKind.Unauthorized, FaultAction.Stop, true)]
    [InlineData(404, FaultKind.NotFound, FaultAction.FailOver, true)]
    [InlineData(400, FaultKind.BadRequest, FaultAction.FailOver, false)]
    [InlineData(422, FaultKind.BadRequest, FaultAction.FailOver, false)]
    public void Classify_HttpRequestExceptionStatus_IsReadFromTheException(
        int status,
        FaultKind kind,
        FaultAction action,
        bool affectsHealth)
    {
        var error = new HttpRequestException("failed", null, (HttpStatusCode)status);

        FaultClassification fault = FaultClassifier.Classify(error, s_now);

        fault.Should().Be(new FaultClassification(kind, action, affectsHealth, status));
    }

    [Theory]
    [InlineData(429, FaultKind.RateLimited)]
    [InlineData(401, FaultKind.Unauthorized)]
    [InlineData(503, FaultKind.Overloaded)]
    public void Classify_ClientResultException_ReadsStatusFromTheOfficialClientsException(int status, FaultKind kind)
    {
        FaultClassification fault = FaultClassifier.Classify(FakePipelineResponse.Error(status), s_now);

        fault.Kind.Should().Be(kind);
        fault.StatusCode.Should().Be(status);
    }

    [Fact]
    public void Classify_ContextLengthBody_FailsOverWithoutCountingAgainstHealth()
    {
        var error =
            FakePipelineResponse.Error(400, "context_length_exceeded", "This model's maximum context length is 8192 tokens");

        FaultClassification fault = FaultClassifier.Classify(error, s_now);

        fault.Kind.Should().Be(FaultKind.ContextLengthExceeded);
        fault.Action.Should().Be(FaultAction.FailOver);
        fault.AffectsHealth.Should().BeFalse();
        fault.ErrorCode.Should().Be("context_length_exceeded");
    }

    [Theory]
    [InlineData("content_filter", "The response was filtered")]
    [InlineData("error", "The prompt was refused by the content management policy")]
    public void Classify_ContentFilterBody_Stops(string code, string message)
    {
        FaultClassification fault = FaultClassifier.Classify(FakePipelineResponse.Error(400, code, message), s_now);

        fault.Kind.Should().Be(FaultKind.ContentFiltered);
        fault.Action.Should().Be(FaultAction.Stop);
        fault.AffectsHealth.Should().BeFalse();
    }

    [Theory]
    [InlineData("Retry-After", "7", 7_000)]
    [InlineData("Retry-After", "1.5", 1_500)]
    [InlineData("retry-after-ms", "250", 250)]
    [InlineData("Retry-After", "Sun, 01 Mar 2026 12:00:30 GMT", 30_000)]
    [InlineData("Retry-After", "Sun, 01 Mar 2026 11:00:00 GMT", 0)]
    public void Classify_RetryAfterHeaders_SecondsDatesAndMilliseconds(string header, string value, int expectedMs)
    {
        var error = FakePipelineResponse.Error(429, headers: new Dictionary<string, string> { [header] = value });

        FaultClassification fault = FaultClassifier.Classify(error, s_now);

        fault.RetryAfter.Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public void ParseRetryAfter_MillisecondsHeaderWins_GarbageIsIgnored()
    {
        FaultClassifier.ParseRetryAfter("100", "30", s_now).Should().Be(TimeSpan.FromMilliseconds(100));
        FaultClassifier.ParseRetryAfter(null, "soon", s_now).Should().BeNull();
        FaultClassifier.ParseRetryAfter(null, null, s_now).Should().BeNull();
        FaultClassifier.ParseRetryAfter("-5", null, s_now).Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Classify_TransportAndStreamFaults()
    {
        FaultClassifier.Classify(new HttpRequestException("reset"), s_now).Kind.Should().Be(FaultKind.Network);
        FaultClassifier.Classify(new IOException("reset"), s_now).Kind.Should().Be(FaultKind.Network);
        FaultClassifier.Classify(new SocketException(), s_now).Kind.Should().Be(FaultKind.Network);
        FaultClassifier.Classify(new JsonException("bad"), s_now).Kind.Should().Be(FaultKind.StreamMalformed);
        FaultClassifier.Classify(
            new AttemptTimeoutException("A", AttemptTimeoutPhase.FirstUpdate, TimeSpan.FromSeconds(1)),
            s_now)
            .Should().Be(new FaultClassification(FaultKind.Timeout, FaultAction.Retry, true));
        FaultClassifier.Classify(new TaskCanceledException("timeout", new TimeoutException()), s_now).Kind
            .Should().Be(FaultKind.Timeout);
        FaultClassifier.Classify(new OperationCanceledException(), s_now)
            .Should().Be(new FaultClassification(FaultKind.Cancelled, FaultAction.Stop, false));
        FaultClassifier.Classify(new StreamFaultException(FaultKind.StreamTruncated, "A", 3, "cut"), s_now)
            .Should().Be(new FaultClassification(FaultKind.StreamTruncated, FaultAction.Retry, true));
        FaultClassifier.Classify(new StreamFaultException(FaultKind.StreamError, "A", 1, "x", "rate_limit_exceeded"), s_now)
            .Kind.Should().Be(FaultKind.RateLimited);
        FaultClassifier.Classify(new InvalidOperationException("?"), s_now)
            .Should().Be(new FaultClassification(FaultKind.Unknown, FaultAction.FailOver, true));
    }
}

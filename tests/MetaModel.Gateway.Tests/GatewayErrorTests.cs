using MetaModel.Resilience;
using MetaModel.Routing;

namespace MetaModel.Gateway.Tests;

public sealed class GatewayErrorTests
{
    private static readonly DateTimeOffset s_now = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NoEligibleCandidate_RequestRulesEveryoneOut_Is400WithoutRetry()
    {
        var error =
            new NoEligibleCandidateException("d", [new CandidateExclusion("a", ExclusionKind.Constraint, "region is us")]);

        GatewayError mapped = GatewayError.NoEligibleCandidate(error, s_now);

        mapped.Status.Should().Be(400);
        mapped.Body.Error.Code.Should().Be("no_eligible_candidate");
        mapped.RetryAfter.Should().BeNull();
        mapped.Body.Error.Exclusions!.Single().Kind.Should().Be("Constraint");
    }

    [Fact]
    public void AllCandidatesFailed_NamesEachCandidateAndItsKindOfFault_NeverTheExceptionsMessages()
    {
        var refused = new HttpRequestException(
            "Connection refused (127.0.0.1:8000)",
            new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
        var throttled = new HttpRequestException(
            "Rate limit reached at https://10.1.2.3/v1 for org-internal",
            null,
            System.Net.HttpStatusCode.TooManyRequests);
        var error = new RoutingFailedException(
            "dec-42",
            [
                new AttemptFailure("small", refused, TimeSpan.FromMilliseconds(3))
                {
                    Fault = new FaultClassification(FaultKind.Network, FaultAction.Retry, AffectsHealth: true),
                },
                new AttemptFailure("large", throttled, TimeSpan.FromMilliseconds(5))
                {
                    Fault = new FaultClassification(FaultKind.RateLimited, FaultAction.FailOver, true, StatusCode: 429),
                },
            ],
            [new CandidateExclusion("spare", ExclusionKind.Unavailable, "cooling down after Network until 12:00:05")],
            "candidates exhausted");

        GatewayError mapped = GatewayError.AllCandidatesFailed(error);

        mapped.Status.Should().Be(502);
        mapped.Body.Error.Code.Should().Be("all_candidates_failed");
        mapped.Body.Error.Message.Should()
            .Contain("small: connection failed; large: throttled (429); spare: not tried (unavailable)")
            .And.Contain("dec-42")
            .And.NotContain("127.0.0.1").And.NotContain("10.1.2.3").And.NotContain("refused")
            .And.NotContain("Rate limit").And.NotContain("Exception");
        error.Message.Should().Contain("127.0.0.1", "the exception itself keeps the details, for the server's log");
    }

    [Fact]
    public void ResponseIncomplete_NamesTheCandidateTheKindAndTheDecision_NeverTheCausesMessage()
    {
        var error = new ResponseIncompleteException(
            "dec-7",
            "large",
            3,
            new FaultClassification(FaultKind.Network, FaultAction.Retry, AffectsHealth: true),
            new HttpRequestException("Connection reset by peer (192.168.4.2:443)"));

        GatewayError mapped = GatewayError.ResponseIncomplete(error);

        mapped.Body.Error.Code.Should().Be("response_incomplete");
        mapped.Body.Error.Message.Should().Contain("'large'").And.Contain("connection failed").And.Contain("dec-7")
            .And.NotContain("192.168.4.2").And.NotContain("reset by peer");
    }

    [Fact]
    public void NoEligibleCandidate_CandidatesCoolingDown_Is503WithRetryAfter()
    {
        var error = new CandidatesUnavailableException(
            "d",
            [new CandidateExclusion("a", ExclusionKind.Unavailable, "cooling down")],
            s_now.AddSeconds(7.2));

        GatewayError mapped = GatewayError.NoEligibleCandidate(error, s_now);

        mapped.Status.Should().Be(503);
        mapped.Body.Error.Type.Should().Be("server_error");
        mapped.Body.Error.Code.Should().Be("candidates_unavailable");
        mapped.RetryAfter.Should().Be(TimeSpan.FromSeconds(7.2));
        mapped.Body.Error.Exclusions!.Single().Candidate.Should().Be("a");
    }
}

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

using Microsoft.Extensions.AI;

namespace MetaModel.Routing;

/// <summary>
/// The platform's failover client, driven by a routing decision: tries the ranked candidates in order, each at most
/// once, and reports every attempt back to the <see cref="MetaModelChatClient"/>.
/// </summary>
/// <remarks>
/// The base class owns invocation, the rule that a stream is never failed over once output reached the caller,
/// cancellation, and attempt timing. This class only supplies the next candidate and stops with one error carrying
/// every attempt's cause when the ranking or the attempt limit is exhausted.
/// </remarks>
internal sealed class CandidateFailoverChatClient : FailoverChatClient
{
    private readonly MetaModelChatClient _owner;

    public CandidateFailoverChatClient(MetaModelChatClient owner)
    {
        _owner = owner;
    }

    protected override ValueTask<IChatClient> SelectClientAsync(RoutingContext context, CancellationToken cancellationToken)
    {
        RoutedRequest request = GetRequest(context);
        if (request.TakeNextCandidate() is { } candidate)
        {
            _owner.OnAttemptStarting(request, candidate);
            return new ValueTask<IChatClient>(candidate.Client);
        }

        string reason = request.AttemptCount >= request.MaxAttempts
            ? $"the limit of {request.MaxAttempts} attempts per request was reached"
            : $"all {request.Decision.Ranked.Count} ranked candidates were tried";
        throw new RoutingFailedException(request.DecisionId, request.Failures.ToArray(), reason);
    }

    protected override ValueTask OnRoutingUpdateAsync(
        RoutingContext context,
        FailoverChatClientAttempt attempt,
        bool isTerminal,
        CancellationToken cancellationToken)
    {
        _owner.OnAttemptEnded(GetRequest(context), attempt, isTerminal);
        return default;
    }

    private static RoutedRequest GetRequest(RoutingContext context) =>
        context.Messages as RoutedRequest ??
        throw new InvalidOperationException("The failover client received messages that were not routed by MetaModel.");
}

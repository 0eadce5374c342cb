using MetaModel.Candidates;
using MetaModel.Costs;
using MetaModel.Resilience;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace MetaModel.Routing;

/// <summary>
/// The platform's failover client, driven by a routing decision: retries a candidate when its fault allows, fails
/// over to its configured fallbacks and then the ranked candidates, each at most once, and passes over candidates
/// that are cooling down, out of capacity or over budget.
/// </summary>
/// <remarks>
/// The base class owns invocation, the rule that a stream is never failed over once output reached the caller,
/// cancellation, and attempt timing. This class chooses each next attempt: the same candidate after a backoff for a
/// retryable fault with retries left, otherwise the next candidate that passes its gates (health, budget, capacity).
/// It stops with one error carrying every attempt's cause when a fault is final, the attempt limit is reached or no
/// candidate is left.
/// </remarks>
internal sealed class CandidateFailoverChatClient : FailoverChatClient
{
    private readonly MetaModelChatClient _owner;
    private readonly Dictionary<string, CandidateRuntime> _runtimes;
    private readonly FailoverOptions _options;
    private readonly CandidateGate _gate;
    private readonly RetryDelay _retryDelay;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public CandidateFailoverChatClient(
        MetaModelChatClient owner,
        IEnumerable<CandidateRuntime> runtimes,
        FailoverOptions options,
        BudgetLedger budgets,
        TimeProvider timeProvider,
        ILogger logger)
    {
        _owner = owner;
        _runtimes = runtimes.ToDictionary(r => r.Candidate.Id, StringComparer.Ordinal);
        _options = options;
        _gate = new CandidateGate(budgets, timeProvider);
        _retryDelay = new RetryDelay(options.RetryBaseDelay, options.Random);
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Tells whether a candidate can take a request now: its circuit, its budget and its capacity.</summary>
    public CandidateExclusion? CheckAvailability(
        IModelCandidate candidate,
        string? tenantId,
        long capacityTokens,
        int budgetOutputTokens,
        int estimatedInputTokens,
        DateTimeOffset now) =>
        _gate.Check(_runtimes[candidate.Id], tenantId, capacityTokens, budgetOutputTokens, estimatedInputTokens, now);

    protected override async ValueTask<IChatClient> SelectClientAsync(RoutingContext context, CancellationToken cancellationToken)
    {
        RoutedRequest request = GetRequest(context);
        IModelCandidate? failed = request.Current;
        FaultClassification? fault = request.LastFault;

        if (fault is { } last && failed is not null)
        {
            if (last.Action == FaultAction.Stop)
            {
                throw Stop(request, $"the {last.Kind} fault of '{failed.Id}' is final: it is neither retried nor failed over");
            }

            if (last.Kind == FaultKind.ContextLengthExceeded)
            {
                request.ContextWindowAbove = Math.Max(request.ContextWindowAbove ?? 0, failed.ContextWindow);
            }
        }

        if (request.AttemptCount >= request.MaxAttempts)
        {
            throw Stop(request, $"the limit of {request.MaxAttempts} attempts per request was reached");
        }

        if (fault is { Action: FaultAction.Retry } retryable && failed is not null &&
            await TryRetryAsync(request, _runtimes[failed.Id], retryable, cancellationToken).ConfigureAwait(false))
        {
            _owner.OnAttemptStarting(request, failed);
            return _runtimes[failed.Id].Client;
        }

        do
        {
            foreach (IModelCandidate candidate in Order(request, failed))
            {
                if (request.WasConsidered(candidate.Id))
                {
                    continue;
                }

                if (request.ContextWindowAbove is { } window && candidate.ContextWindow <= window)
                {
                    Skip(request, new CandidateExclusion(
                        candidate.Id,
                        ExclusionKind.ContextWindow,
                        $"its context window of {candidate.ContextWindow} is no larger than that of a candidate whose " +
                        $"context length was exceeded ({window})"));
                    continue;
                }

                CandidateExclusion? exclusion = _gate.TryAdmit(request, _runtimes[candidate.Id], isRetry: false);
                if (exclusion is null)
                {
                    _owner.OnAttemptStarting(request, candidate);
                    return _runtimes[candidate.Id].Client;
                }

                Skip(request, exclusion);
            }
        }
        while (await TryWaitForRecoveryAsync(request, cancellationToken).ConfigureAwait(false));

        throw Exhausted(request);
    }

    protected override ValueTask OnRoutingUpdateAsync(
        RoutingContext context,
        FailoverChatClientAttempt attempt,
        bool isTerminal,
        CancellationToken cancellationToken)
    {
        RoutedRequest request = GetRequest(context);
        CandidateRuntime runtime = _runtimes[request.Current!.Id];
        DateTimeOffset now = _timeProvider.GetUtcNow();
        Exception? error = attempt.Exception;

        FaultClassification? fault = null;
        if (error is not null && !attempt.ResponseCompleted)
        {
            FaultClassification classified = FaultClassifier.Classify(error, now);
            fault = _options.Classifier?.Invoke(error, classified) ?? classified;
            if (fault.Value.Kind == FaultKind.Cancelled)
            {
                runtime.Health.ReleaseProbe(now);
            }
            else
            {
                runtime.Health.ReportFailure(fault.Value, request.CurrentIsProbe, now);
            }
        }
        else if (attempt.ResponseCompleted)
        {
            runtime.Health.ReportSuccess(request.CurrentIsProbe, now);
        }
        else
        {
            // The caller stopped reading: the candidate was answering, but the answer was not seen to the end.
            runtime.Health.ReleaseProbe(now);
        }

        request.LastFault = fault;
        bool willFailOver = !isTerminal &&
            fault is { Action: not FaultAction.Stop } next &&
            request.AttemptCount < request.MaxAttempts &&
            ((next.Action == FaultAction.Retry && request.CurrentRetries < runtime.MaxRetries) || request.HasUntriedCandidate);
        _owner.OnAttemptEnded(request, attempt, willFailOver, fault);
        return default;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (CandidateRuntime runtime in _runtimes.Values)
            {
                runtime.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private static RoutedRequest GetRequest(RoutingContext context) =>
        context.Messages as RoutedRequest ??
        throw new InvalidOperationException("The failover client received messages that were not routed by MetaModel.");

    private static Exception Exhausted(RoutedRequest request)
    {
        if (request.Failures.Count == 0)
        {
            // Nothing was attempted: every ranked candidate became unavailable between the decision and now.
            DateTimeOffset? earliest = request.Skipped.Where(s => s.AvailableAt is not null).Min(s => s.AvailableAt);
            return new CandidatesUnavailableException(request.DecisionId, request.Skipped.ToArray(), earliest);
        }

        return Stop(request, $"all {request.Decision.Ranked.Count} ranked candidates were tried or are unavailable");
    }

    private static RoutingFailedException Stop(RoutedRequest request, string reason) =>
        new(request.DecisionId, request.Failures.ToArray(), request.Skipped.ToArray(), reason);

    /// <summary>
    /// The candidates to consider after a failure: the failed one's fallbacks first, then the ranking, then the
    /// candidates that were unavailable at admission.
    /// </summary>
    private IEnumerable<IModelCandidate> Order(RoutedRequest request, IModelCandidate? failed)
    {
        if (failed is not null)
        {
            foreach (string id in _runtimes[failed.Id].Fallbacks)
            {
                IModelCandidate? fallback =
                    request.Eligible.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.Ordinal));
                if (fallback is not null)
                {
                    yield return fallback;
                }
            }
        }

        foreach (CandidateScore score in request.Decision.Ranked)
        {
            yield return score.Candidate;
        }

        foreach (IModelCandidate deferred in request.Deferred)
        {
            yield return deferred;
        }
    }

    private async ValueTask<bool> TryRetryAsync(
        RoutedRequest request,
        CandidateRuntime runtime,
        FaultClassification fault,
        CancellationToken cancellationToken)
    {
        if (request.CurrentRetries >= runtime.MaxRetries)
        {
            return false;
        }

        TimeSpan delay = _retryDelay.For(request.CurrentRetries + 1, fault.RetryAfter);
        if (delay > _options.MaxRetryDelay)
        {
            return false;
        }

        // A candidate still cooling down when the delay ends is not worth waiting for: fail over at once.
        Availability then = runtime.Health.Check(_timeProvider.GetUtcNow() + delay);
        if (!then.IsAvailable)
        {
            ResilienceLog.CandidateSkipped(_logger, request.DecisionId, runtime.Candidate.Id, "not retried: " + then.Reason);
            return false;
        }

        ResilienceLog.RetryScheduled(
            _logger,
            request.DecisionId,
            runtime.Candidate.Id,
            request.CurrentRetries + 1,
            delay.TotalMilliseconds,
            fault.Kind);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        // The candidate was tried already: a closed gate now only means no retry, not a candidate passed over.
        CandidateExclusion? exclusion = _gate.TryAdmit(request, runtime, isRetry: true);
        if (exclusion is not null)
        {
            ResilienceLog.CandidateSkipped(
                _logger,
                request.DecisionId,
                exclusion.CandidateId,
                "not retried: " + exclusion.Reason);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Waits, when the caller opted in and the bound allows, until the earliest candidate passed over as unavailable
    /// recovers, and lets the unavailable ones be considered again.
    /// </summary>
    /// <returns><see langword="true"/> when it waited and selection should look again.</returns>
    private async ValueTask<bool> TryWaitForRecoveryAsync(RoutedRequest request, CancellationToken cancellationToken)
    {
        if (request.WaitUntil is not { } until)
        {
            return false;
        }

        DateTimeOffset? earliest = request.Skipped
            .Where(s => s.Kind == ExclusionKind.Unavailable && s.AvailableAt is not null && !request.WasTried(s.CandidateId))
            .Min(s => s.AvailableAt);
        if (earliest is not { } recovery || recovery > until)
        {
            return false;
        }

        TimeSpan delay = recovery - _timeProvider.GetUtcNow();
        ResilienceLog.WaitingForAvailability(_logger, request.DecisionId, delay.TotalMilliseconds);
        await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1), _timeProvider, cancellationToken)
            .ConfigureAwait(false);
        request.ReconsiderUnavailable();
        return true;
    }

    private void Skip(RoutedRequest request, CandidateExclusion exclusion)
    {
        request.Skip(exclusion);
        ResilienceLog.CandidateSkipped(_logger, request.DecisionId, exclusion.CandidateId, exclusion.Reason);
    }
}

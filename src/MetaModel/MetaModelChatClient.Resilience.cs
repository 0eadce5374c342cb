using MetaModel.Candidates;
using MetaModel.Resilience;
using MetaModel.Routing;
using Microsoft.Extensions.AI;

namespace MetaModel;

/// <summary>The parts of the router that keep unavailable candidates out and report health and cut streams.</summary>
public sealed partial class MetaModelChatClient
{
    /// <summary>
    /// Moves the eligible candidates that cannot take the request now to the exclusions, as
    /// <see cref="ExclusionKind.Unavailable"/>, and to <paramref name="deferred"/>; when none is left, waits for the
    /// earliest to recover if the caller opted in and the wait is within the bound.
    /// </summary>
    /// <remarks>
    /// Deferred candidates are not ranked, but failover may still use them, after the ranked ones, once they recover.
    /// </remarks>
    /// <returns>When the earliest excluded candidate recovers, if known.</returns>
    private async ValueTask<DateTimeOffset?> ExcludeUnavailableAsync(
        string decisionId,
        RequestLoad load,
        DateTimeOffset waitUntil,
        List<IModelCandidate> eligible,
        List<CandidateExclusion> exclusions,
        List<IModelCandidate> deferred,
        CancellationToken cancellationToken)
    {
        if (eligible.Count == 0)
        {
            return null;
        }

        IModelCandidate[] servable = eligible.ToArray();
        var unavailable = new List<CandidateExclusion>();
        while (true)
        {
            DateTimeOffset now = _timeProvider.GetUtcNow();
            eligible.Clear();
            unavailable.Clear();
            deferred.Clear();
            foreach (IModelCandidate candidate in servable)
            {
                CandidateExclusion? exclusion = _failover.CheckAvailability(
                    candidate,
                    load.TenantId,
                    load.CapacityTokens,
                    load.BudgetOutputTokens,
                    load.EstimatedInputTokens,
                    now);
                if (exclusion is null)
                {
                    eligible.Add(candidate);
                }
                else
                {
                    unavailable.Add(exclusion);
                    deferred.Add(candidate);
                }
            }

            DateTimeOffset? earliest = unavailable.Where(e => e.AvailableAt is not null).Min(e => e.AvailableAt);
            if (eligible.Count > 0 || earliest is not { } recovery || recovery > waitUntil)
            {
                exclusions.AddRange(unavailable);
                return earliest;
            }

            TimeSpan delay = recovery - now;
            ResilienceLog.WaitingForAvailability(_logger, decisionId, delay.TotalMilliseconds);
            TimeSpan wait = delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1);
            try
            {
                await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The caller gave up waiting: the decision record still says why nothing could be called.
                exclusions.AddRange(unavailable);
                throw;
            }
        }
    }

    private void OnHealthChanged(CandidateHealthChangedEventArgs change)
    {
        ResilienceLog.HealthChanged(
            _logger,
            change.CandidateId,
            change.Previous,
            change.Current,
            change.Reason,
            change.AvailableAt);
        HealthChanged?.Invoke(this, change);
    }

    private void Settle(RoutedRequest request, decimal costUsd)
    {
        if (request.Reservation is { } reservation)
        {
            _budgets.Settle(reservation, costUsd);
        }
    }

    private static ChatResponseUpdate IncompleteUpdate(RoutedRequest request, ResponseIncompleteException error)
    {
        var content = new ErrorContent(error.Message) { ErrorCode = error.Fault.Kind.ToString() };
        return new ChatResponseUpdate(ChatRole.Assistant, [content])
        {
            FinishReason = MetaModelFinishReasons.Incomplete,
            ModelId = request.Current!.Id,
            AdditionalProperties = new()
            {
                [MetaModelPropertyNames.CandidateId] = request.Current.Id,
                [MetaModelPropertyNames.DecisionId] = request.DecisionId,
            },
        };
    }

    /// <summary>What a request asks of a candidate's capacity and budget.</summary>
    private readonly record struct RequestLoad(
        string? TenantId,
        long CapacityTokens,
        int BudgetOutputTokens,
        int EstimatedInputTokens);
}

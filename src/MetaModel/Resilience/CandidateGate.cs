using MetaModel.Candidates;
using MetaModel.Costs;
using MetaModel.Routing;

namespace MetaModel.Resilience;

/// <summary>
/// The gates a candidate passes before a request is sent to it, in order: its circuit, the request's budget, its
/// capacity, and last its probe slot, so that nothing is taken when an earlier gate is closed.
/// </summary>
/// <remarks>Thread-safe: each gate guards its own state.</remarks>
internal sealed class CandidateGate
{
    private readonly BudgetLedger _budgets;
    private readonly TimeProvider _timeProvider;

    public CandidateGate(BudgetLedger budgets, TimeProvider timeProvider)
    {
        _budgets = budgets;
        _timeProvider = timeProvider;
    }

    /// <summary>Tells whether a candidate can take a request now, without taking anything.</summary>
    public CandidateExclusion? Check(
        CandidateRuntime runtime,
        string? tenantId,
        long capacityTokens,
        int budgetOutputTokens,
        int estimatedInputTokens,
        DateTimeOffset now)
    {
        IModelCandidate candidate = runtime.Candidate;
        Availability availability = runtime.Health.Check(now);
        if (availability.IsAvailable && _budgets.HasLimits)
        {
            decimal estimate = candidate.Pricing.CostOf(estimatedInputTokens, budgetOutputTokens);
            availability = _budgets.Check(tenantId, estimate, now);
        }

        if (availability.IsAvailable)
        {
            availability = runtime.Capacity.Check(capacityTokens, now);
        }

        return availability.IsAvailable ? null : Unavailable(candidate.Id, availability);
    }

    /// <summary>Passes the gates in order (circuit, budget, capacity, probe) and starts the attempt.</summary>
    public CandidateExclusion? TryAdmit(RoutedRequest request, CandidateRuntime runtime, bool isRetry)
    {
        IModelCandidate candidate = runtime.Candidate;
        DateTimeOffset now = _timeProvider.GetUtcNow();
        Availability availability = runtime.Health.Check(now);
        if (!availability.IsAvailable)
        {
            return Unavailable(candidate.Id, availability);
        }

        if (request.Reservation is { } reservation)
        {
            // A fallback to a dearer candidate must fit the budget too: the reservation grows to its estimate.
            decimal estimate = candidate.Pricing.CostOf(request.EstimatedInputTokens, request.BudgetOutputTokens);
            availability = _budgets.TryReserve(reservation, estimate, now);
            if (!availability.IsAvailable)
            {
                return Unavailable(candidate.Id, availability);
            }
        }

        availability = runtime.Capacity.TryAcquire(request.CapacityTokens, now);
        if (!availability.IsAvailable)
        {
            return Unavailable(candidate.Id, availability);
        }

        if (!runtime.Health.TryEnter(now, out bool isProbe))
        {
            return Unavailable(candidate.Id, runtime.Health.Check(now) is { IsAvailable: false } busy
                ? busy
                : Availability.Until(null, "another request took its probe"));
        }

        request.Begin(candidate, isProbe, isRetry);
        return null;
    }

    /// <summary>The exclusion of a candidate that a closed gate keeps out, with when it opens again if known.</summary>
    public static CandidateExclusion Unavailable(string candidateId, Availability availability) =>
        new(candidateId, ExclusionKind.Unavailable, availability.Reason!) { AvailableAt = availability.AvailableAt };
}

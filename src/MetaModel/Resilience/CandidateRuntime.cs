using MetaModel.Candidates;
using Microsoft.Extensions.AI;

namespace MetaModel.Resilience;

/// <summary>What the router keeps for one candidate: its health, its capacity and its guarded client.</summary>
internal sealed class CandidateRuntime : IDisposable
{
    public CandidateRuntime(
        IModelCandidate candidate,
        FailoverOptions options,
        TimeProvider timeProvider,
        Action<CandidateHealthChangedEventArgs> healthChanged)
    {
        Candidate = candidate;
        Limits = options.Candidates.TryGetValue(candidate.Id, out CandidateLimits? limits) ? limits : null;
        MaxRetries = Limits?.MaxRetries ?? options.MaxRetriesPerCandidate;
        Fallbacks = Limits?.Fallbacks.ToArray() ?? [];
        Health = new CandidateHealth(candidate.Id, options, healthChanged);
        Capacity = new CandidateCapacity(Limits?.RequestsPerMinute, Limits?.TokensPerMinute);
        Client = new GuardedChatClient(candidate.Client, candidate.Id, options, timeProvider);
    }

    public IModelCandidate Candidate { get; }

    public CandidateLimits? Limits { get; }

    public int MaxRetries { get; }

    public string[] Fallbacks { get; }

    public CandidateHealth Health { get; }

    public CandidateCapacity Capacity { get; }

    public IChatClient Client { get; }

    public void Dispose() => Capacity.Dispose();
}

using MetaModel.Routing;

namespace MetaModel.Experiments;

/// <summary>One arm of an experiment: a share of the traffic and what it gets, a candidate or a whole policy.</summary>
/// <remarks>Immutable. Create arms with <see cref="ForCandidate"/> or <see cref="ForPolicy"/>.</remarks>
public sealed class ExperimentArm
{
    private ExperimentArm(string name, double share, string? candidateId, IRoutingPolicy? policy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(share) || share <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "An arm's share must be a positive, finite number.");
        }

        Name = name;
        Share = share;
        CandidateId = candidateId;
        Policy = policy;
    }

    /// <summary>Gets the arm's name, as recorded with each decision and shown in the analysis.</summary>
    public string Name { get; }

    /// <summary>Gets the arm's share of the traffic, relative to the other arms' shares.</summary>
    public double Share { get; }

    /// <summary>Gets the candidate the arm tries first, or <see langword="null"/> for a policy arm.</summary>
    public string? CandidateId { get; }

    /// <summary>Gets the policy that ranks the candidates in this arm, or <see langword="null"/> for a candidate arm.</summary>
    public IRoutingPolicy? Policy { get; }

    /// <summary>Creates an arm that sends its requests to one candidate first.</summary>
    /// <param name="name">The arm's name.</param>
    /// <param name="share">The arm's share of the traffic, relative to the others; positive.</param>
    /// <param name="candidateId">The candidate.</param>
    /// <returns>The arm.</returns>
    public static ExperimentArm ForCandidate(string name, double share, string candidateId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(candidateId);
        return new ExperimentArm(name, share, candidateId, null);
    }

    /// <summary>Creates an arm whose requests a whole routing policy ranks.</summary>
    /// <param name="name">The arm's name.</param>
    /// <param name="share">The arm's share of the traffic, relative to the others; positive.</param>
    /// <param name="policy">The policy; it learns only from the requests of its arm.</param>
    /// <returns>The arm.</returns>
    public static ExperimentArm ForPolicy(string name, double share, IRoutingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new ExperimentArm(name, share, null, policy);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name} ({(CandidateId is null ? "policy " + Policy!.Name : "candidate " + CandidateId)})";
}

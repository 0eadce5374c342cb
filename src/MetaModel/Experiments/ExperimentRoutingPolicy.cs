using System.Collections.Concurrent;
using System.Globalization;
using MetaModel.Candidates;
using MetaModel.Routing;

namespace MetaModel.Experiments;

/// <summary>Runs an <see cref="Experiment"/>: assigns each enrolled request to an arm and lets that arm rank.</summary>
/// <remarks>
/// <para>
/// Requests outside the experiment's window, or without a user key (unless
/// <see cref="Experiment.AssignUnkeyedRequests"/>), go to the control policy unchanged and carry no assignment.
/// An enrolled request's decision carries an <see cref="ExperimentAssignment"/>, which the router records in
/// <c>DecisionRecord.Experiment</c>, and its reason starts with <c>experiment {id}, arm {name}:</c>.
/// </para>
/// <para>
/// A candidate arm ranks its candidate first, followed (with <see cref="Experiment.FallBackOutsideArm"/>) by the
/// control policy's ranking of the others; when its candidate is not eligible for a request the control policy
/// decides, and the assignment says it was not applied. A policy arm's policy ranks its requests and learns only
/// from them: attempts and feedback are routed back to the policy that decided, found by decision id among the
/// last <see cref="MaxTrackedDecisions"/> decisions. Everything else teaches the control policy.
/// </para>
/// <para>Thread-safe when the wrapped policies are.</para>
/// </remarks>
public sealed class ExperimentRoutingPolicy : IRoutingPolicy
{
    /// <summary>How many recent decisions of policy arms are remembered to route their learning back.</summary>
    public const int MaxTrackedDecisions = 100_000;

    private readonly IRoutingPolicy _control;
    private readonly TimeProvider _timeProvider;
    private readonly bool _tracksDecisions;
    private readonly ConcurrentDictionary<string, IRoutingPolicy> _deciders = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>Initializes a new instance of the <see cref="ExperimentRoutingPolicy"/> class.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="control">The policy for requests outside the experiment and behind candidate arms.</param>
    /// <param name="timeProvider">
    /// The clock that decides whether the experiment runs; the system clock when <see langword="null"/>.
    /// </param>
    public ExperimentRoutingPolicy(Experiment experiment, IRoutingPolicy control, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(control);

        Experiment = experiment;
        _control = control;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _tracksDecisions = experiment.Arms.Any(a => a.Policy is not null);
    }

    /// <summary>Gets the experiment.</summary>
    public Experiment Experiment { get; }

    /// <summary>Gets the policy for requests outside the experiment.</summary>
    public IRoutingPolicy Control => _control;

    /// <inheritdoc/>
    public string Name => "experiment:" + Experiment.Id;

    /// <inheritdoc/>
    public string Version => _control.Version + "+" + string.Join(",", Experiment.Arms.Select(a => a.Policy?.Version ?? "c"));

    /// <inheritdoc/>
    /// <value><see langword="true"/> when the control policy or the policy of an arm reads features.</value>
    public bool UsesFeatures => _control.UsesFeatures || Experiment.Arms.Any(a => a.Policy?.UsesFeatures == true);

    /// <inheritdoc/>
    public RoutingDecision Decide(RoutingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        string? unitKey = request.UserKey ?? (Experiment.AssignUnkeyedRequests ? request.DecisionId : null);
        if (unitKey is null || !Experiment.IsActive(_timeProvider.GetUtcNow()))
        {
            return _control.Decide(request);
        }

        (ExperimentArm arm, double bucket) = Experiment.Assign(unitKey);
        RoutingDecision inner;
        bool applied = true;
        if (arm.Policy is { } policy)
        {
            inner = policy.Decide(request);
            Track(request.DecisionId, policy);
        }
        else if (Find(request.EligibleCandidates, arm.CandidateId!) is { } candidate)
        {
            inner = RankFirst(request, candidate);
        }
        else
        {
            applied = false;
            inner = _control.Decide(request);
        }

        string prefix = applied
            ? $"experiment {Experiment.Id}, arm {arm.Name}: "
            : $"experiment {Experiment.Id}, arm {arm.Name} (its candidate is not eligible; control decided): ";
        return new RoutingDecision(inner.Ranked, prefix + inner.Reason, inner.Explored)
        {
            Experiment = new ExperimentAssignment(Experiment.Id, arm.Name, bucket, applied),
        };
    }

    /// <inheritdoc/>
    public void Observe(AttemptObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        DeciderOf(observation.DecisionId).Observe(observation);
    }

    /// <inheritdoc/>
    public void ObserveFeedback(QualityFeedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        DeciderOf(feedback.DecisionId).ObserveFeedback(feedback);
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> DescribeParameters()
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["experiment"] = Experiment.Id,
            ["control"] = _control.Name,
            ["starts"] = Experiment.StartsAt?.ToString("O", CultureInfo.InvariantCulture) ?? "always",
            ["ends"] = Experiment.EndsAt?.ToString("O", CultureInfo.InvariantCulture) ?? "never",
        };
        foreach (ExperimentArm arm in Experiment.Arms)
        {
            parameters["arm:" + arm.Name] = arm.ToString() + " share " + arm.Share.ToString(CultureInfo.InvariantCulture);
        }

        return parameters;
    }

    private static IModelCandidate? Find(IReadOnlyList<IModelCandidate> candidates, string id)
    {
        for (int i = 0; i < candidates.Count; i++)
        {
            if (string.Equals(candidates[i].Id, id, StringComparison.Ordinal))
            {
                return candidates[i];
            }
        }

        return null;
    }

    private RoutingDecision RankFirst(RoutingRequest request, IModelCandidate candidate)
    {
        if (!Experiment.FallBackOutsideArm || request.EligibleCandidates.Count == 1)
        {
            return new RoutingDecision([new CandidateScore(candidate, 1)], "the arm's candidate");
        }

        // The control policy orders the fallbacks; the arm's candidate goes first whatever it scored.
        RoutingDecision control = _control.Decide(request);
        var ranked = new List<CandidateScore>(control.Ranked.Count + 1) { new(candidate, 1) };
        foreach (CandidateScore score in control.Ranked)
        {
            if (!ReferenceEquals(score.Candidate, candidate))
            {
                ranked.Add(score);
            }
        }

        return new RoutingDecision(ranked, "the arm's candidate, then the control policy's order");
    }

    private void Track(string decisionId, IRoutingPolicy policy)
    {
        _deciders[decisionId] = policy;
        _order.Enqueue(decisionId);
        while (_order.Count > MaxTrackedDecisions && _order.TryDequeue(out string? oldest))
        {
            _ = _deciders.TryRemove(oldest, out _);
        }
    }

    private IRoutingPolicy DeciderOf(string decisionId) =>
        _tracksDecisions && _deciders.TryGetValue(decisionId, out IRoutingPolicy? policy) ? policy : _control;
}

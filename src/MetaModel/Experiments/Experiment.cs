namespace MetaModel.Experiments;

/// <summary>An A/B (or A/B/n) experiment: arms with traffic shares, a sticky assignment key, and a time window.</summary>
/// <remarks>
/// <para>
/// A request is in the experiment when it falls in [<see cref="StartsAt"/>, <see cref="EndsAt"/>) and names a user
/// or session key (<c>ChatOptions.WithUser</c>). Its arm follows from the key and <see cref="Id"/> alone (see
/// <see cref="ExperimentBucketing"/>), so a user stays in one arm across requests, processes and restarts, and a
/// new experiment id reshuffles everyone independently of other experiments.
/// </para>
/// <para>The first arm is the control that analysis compares the others with. Immutable and thread-safe.</para>
/// </remarks>
public sealed class Experiment
{
    private readonly double[] _cumulative;

    /// <summary>Initializes a new instance of the <see cref="Experiment"/> class.</summary>
    /// <param name="id">The experiment's stable id; it seeds the assignment, so changing it reassigns everyone.</param>
    /// <param name="arms">Two or more arms with distinct names; the first is the control.</param>
    /// <param name="startsAt">When the experiment starts; already started when <see langword="null"/>.</param>
    /// <param name="endsAt">When it stops (exclusive); never when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">Fewer than two arms, duplicate names, or an empty window.</exception>
    public Experiment(
        string id,
        IReadOnlyList<ExperimentArm> arms,
        DateTimeOffset? startsAt = null,
        DateTimeOffset? endsAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(arms);
        if (arms.Count < 2)
        {
            throw new ArgumentException("An experiment needs at least two arms.", nameof(arms));
        }

        for (int i = 0; i < arms.Count; i++)
        {
            if (arms[i] is null)
            {
                throw new ArgumentException($"The arm at index {i} of experiment '{id}' is null.", nameof(arms));
            }
        }

        if (arms.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count() != arms.Count)
        {
            throw new ArgumentException("The arms of an experiment must have distinct names.", nameof(arms));
        }

        if (startsAt is { } start && endsAt is { } end && end <= start)
        {
            throw new ArgumentException($"The experiment ends ({end:O}) before it starts ({start:O}).", nameof(endsAt));
        }

        Id = id;
        Arms = arms.ToArray();
        StartsAt = startsAt;
        EndsAt = endsAt;

        // The split: arm i owns [cumulative[i-1], cumulative[i]) of [0, 1).
        // Shares are scaled by the largest first, so that huge shares cannot overflow the total to infinity.
        double largest = arms.Max(a => a.Share);
        double total = arms.Sum(a => a.Share / largest);
        _cumulative = new double[arms.Count];
        double running = 0;
        for (int i = 0; i < arms.Count; i++)
        {
            running += arms[i].Share / largest / total;
            _cumulative[i] = running;
        }

        _cumulative[^1] = 1;
    }

    /// <summary>Gets the experiment's stable id.</summary>
    public string Id { get; }

    /// <summary>Gets the arms; the first is the control.</summary>
    public IReadOnlyList<ExperimentArm> Arms { get; }

    /// <summary>Gets when the experiment starts, or <see langword="null"/> when it has no start.</summary>
    public DateTimeOffset? StartsAt { get; }

    /// <summary>Gets when the experiment stops (exclusive), or <see langword="null"/> when it runs on.</summary>
    public DateTimeOffset? EndsAt { get; }

    /// <summary>Gets or sets whether requests without a user key are assigned too, each on its own.</summary>
    /// <value>
    /// The default is <see langword="false"/>: such requests are not enrolled and the control policy serves them.
    /// When <see langword="true"/>, the decision id stands in for the key, so each request is assigned at random
    /// (not sticky).
    /// </value>
    public bool AssignUnkeyedRequests { get; init; }

    /// <summary>Gets or sets whether a candidate arm falls back to other candidates when its candidate fails.</summary>
    /// <value>
    /// The default is <see langword="true"/>: the control policy's ranking of the other candidates follows the
    /// arm's candidate, so the experiment never costs availability. The analysis still counts the request in its arm.
    /// </value>
    public bool FallBackOutsideArm { get; init; } = true;

    /// <summary>Tells whether the experiment runs at <paramref name="now"/>.</summary>
    /// <param name="now">The time.</param>
    /// <returns><see langword="true"/> inside [<see cref="StartsAt"/>, <see cref="EndsAt"/>).</returns>
    public bool IsActive(DateTimeOffset now) =>
        (StartsAt is not { } start || now >= start) && (EndsAt is not { } end || now < end);

    /// <summary>Gets the arm that a unit key is assigned to.</summary>
    /// <param name="unitKey">The user or session key.</param>
    /// <returns>The arm and the key's bucket in [0, 1).</returns>
    public (ExperimentArm Arm, double Bucket) Assign(string unitKey)
    {
        ArgumentNullException.ThrowIfNull(unitKey);
        double bucket = ExperimentBucketing.Bucket(Id, unitKey);
        return (Arms[ArmIndex(bucket)], bucket);
    }

    /// <summary>Lists the candidate ids the arms name that are not among <paramref name="candidateIds"/>.</summary>
    /// <param name="candidateIds">The metamodel's candidate ids.</param>
    /// <returns>One sentence per problem; empty when every arm's candidate exists.</returns>
    public IReadOnlyList<string> Validate(IEnumerable<string> candidateIds)
    {
        ArgumentNullException.ThrowIfNull(candidateIds);
        var known = new HashSet<string>(candidateIds, StringComparer.Ordinal);
        return Arms
            .Where(a => a.CandidateId is { } id && !known.Contains(id))
            .Select(a => $"Experiment '{Id}', arm '{a.Name}': candidate '{a.CandidateId}' is not a candidate of the metamodel.")
            .ToArray();
    }

    internal int ArmIndex(double bucket)
    {
        for (int i = 0; i < _cumulative.Length; i++)
        {
            if (bucket < _cumulative[i])
            {
                return i;
            }
        }

        return _cumulative.Length - 1;
    }
}

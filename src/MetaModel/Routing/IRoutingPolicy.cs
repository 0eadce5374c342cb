namespace MetaModel.Routing;

/// <summary>Ranks the eligible candidates for each request, and learns from what happened.</summary>
/// <remarks>
/// <para>
/// One instance serves every concurrent request: <see cref="Decide"/> may run on many threads at once and at the
/// same time as <see cref="Observe"/> and <see cref="ObserveFeedback"/>. Implementations must be thread-safe.
/// </para>
/// <para>
/// <see cref="Decide"/> is on the request path and should take microseconds. It only ever sees candidates that
/// passed eligibility (capabilities, context window, tag constraints), so it cannot pick a forbidden one.
/// </para>
/// </remarks>
public interface IRoutingPolicy
{
    /// <summary>Gets the policy's name, as recorded with every decision.</summary>
    string Name { get; }

    /// <summary>Gets the version of the policy's logic and parameters, as recorded with every decision.</summary>
    string Version { get; }

    /// <summary>
    /// Gets a value indicating whether the policy reads the features of a request, when it decides or learns. When it
    /// does not, the router skips the featurizer and hands the policy empty features. The default is
    /// <see langword="true"/>, so a policy that says nothing gets the features.
    /// </summary>
    bool UsesFeatures => true;

    /// <summary>Ranks the eligible candidates of <paramref name="request"/>.</summary>
    /// <param name="request">The request and its eligible candidates (at least one).</param>
    /// <returns>The decision: the candidates in the order to try them.</returns>
    RoutingDecision Decide(RoutingRequest request);

    /// <summary>Learns from one attempt of a routed request, right after it ended.</summary>
    /// <param name="observation">What happened on the attempt.</param>
    void Observe(AttemptObservation observation);

    /// <summary>Learns from a quality score reported after the response was delivered.</summary>
    /// <param name="feedback">The score, with the decision's features, candidate, cost and latency.</param>
    void ObserveFeedback(QualityFeedback feedback);

    /// <summary>Gets the policy's parameters, for the system's documentation and the decision log.</summary>
    /// <returns>Parameter names and values.</returns>
    IReadOnlyDictionary<string, string> DescribeParameters();
}

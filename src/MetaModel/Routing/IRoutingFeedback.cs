namespace MetaModel.Routing;

/// <summary>Accepts quality scores for responses after they were delivered, so the policy learns from them.</summary>
public interface IRoutingFeedback
{
    /// <summary>Reports the quality of an earlier response.</summary>
    /// <param name="decisionOrResponseId">The decision id (from <see cref="RoutingInfo"/>) or the response id.</param>
    /// <param name="quality">The score, from 0 (useless) to 1 (perfect).</param>
    /// <returns>
    /// <see langword="true"/> if the decision is known; <see langword="false"/> if it is unknown, too old to be kept, or
    /// named by a response id that the provider gave to several kept decisions (use the decision id then).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quality"/> is not between 0 and 1.</exception>
    /// <remarks>
    /// Every score is recorded. Only the first score of a decision trains the policy, so that repeated reports do
    /// not weigh one answer several times.
    /// </remarks>
    bool TryReportQuality(string decisionOrResponseId, double quality);
}

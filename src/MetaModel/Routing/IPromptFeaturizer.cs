using Microsoft.Extensions.AI;

namespace MetaModel.Routing;

/// <summary>Turns the messages of a chat request into a fixed-size feature vector for routing.</summary>
/// <remarks>
/// Implementations must be thread-safe: one instance serves every concurrent request. A featurizer that
/// computes in-process should complete synchronously and allocate nothing per call, so that featurizing
/// stays well below the cost of scoring.
/// </remarks>
public interface IPromptFeaturizer
{
    /// <summary>Gets the length of the vectors this featurizer writes.</summary>
    /// <value>A positive number that never changes for an instance.</value>
    int Dimension { get; }

    /// <summary>Gets a description of the features this featurizer writes: what they are made from, their version and
    /// their dimension.</summary>
    /// <value>
    /// A short text that two featurizers share only when they write the same vector for every request. The default
    /// is the featurizer's type name and <see cref="Dimension"/>; a featurizer whose features depend on settings or
    /// change between versions should say so here.
    /// </value>
    /// <remarks>
    /// A model learned from feature vectors is only valid with the features it learned from. The bandit policy
    /// records this text in its snapshots and refuses a snapshot learned from other features, and the system
    /// passport shows it.
    /// </remarks>
    string FeatureSchema => $"{GetType().FullName}, d = {Dimension}";

    /// <summary>Writes the features of <paramref name="messages"/> into <paramref name="destination"/>.</summary>
    /// <param name="messages">The request's messages.</param>
    /// <param name="destination">A buffer of exactly <see cref="Dimension"/> elements; every element is overwritten.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when <paramref name="destination"/> holds finite values.</returns>
    ValueTask FeaturizeAsync(
        IEnumerable<ChatMessage> messages,
        Memory<float> destination,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the features of <paramref name="messages"/>, a request of the application-defined kind
    /// <paramref name="task"/>, into <paramref name="destination"/>.
    /// </summary>
    /// <param name="messages">The request's messages.</param>
    /// <param name="task">
    /// What the application says the request is for (the request entry <see cref="MetaModelPropertyNames.Task"/>),
    /// or <see langword="null"/> when it does not say.
    /// </param>
    /// <param name="destination">A buffer of exactly <see cref="Dimension"/> elements; every element is overwritten.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when <paramref name="destination"/> holds finite values.</returns>
    /// <remarks>The default implementation ignores <paramref name="task"/>; <c>TaskFeaturizer</c> encodes it.</remarks>
    ValueTask FeaturizeAsync(
        IEnumerable<ChatMessage> messages,
        string? task,
        Memory<float> destination,
        CancellationToken cancellationToken = default) =>
        FeaturizeAsync(messages, destination, cancellationToken);
}

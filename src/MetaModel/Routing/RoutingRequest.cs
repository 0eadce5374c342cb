using MetaModel.Candidates;
using Microsoft.Extensions.AI;

namespace MetaModel.Routing;

/// <summary>Everything a policy may look at to rank the candidates for one request.</summary>
/// <remarks>Instances are created by the router for each request and must not be kept by policies.</remarks>
public sealed class RoutingRequest
{
    /// <summary>Initializes a new instance of the <see cref="RoutingRequest"/> class.</summary>
    /// <param name="decisionId">The id the decision will be recorded under.</param>
    /// <param name="messages">The request's messages.</param>
    /// <param name="options">The request's options, without MetaModel's own entries.</param>
    /// <param name="features">The prompt's feature vector.</param>
    /// <param name="eligible">The candidates that may serve the request, in registration order; at least one.</param>
    /// <param name="estimatedInputTokens">The estimated prompt size in tokens.</param>
    /// <param name="tenantId">The tenant, if the caller named one.</param>
    /// <param name="userKey">The end user or session key, if the caller named one.</param>
    public RoutingRequest(
        string decisionId,
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        ReadOnlyMemory<float> features,
        IReadOnlyList<IModelCandidate> eligible,
        int estimatedInputTokens,
        string? tenantId = null,
        string? userKey = null)
    {
        ArgumentNullException.ThrowIfNull(decisionId);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(eligible);

        DecisionId = decisionId;
        Messages = messages;
        Options = options;
        Features = features;
        EligibleCandidates = eligible;
        EstimatedInputTokens = estimatedInputTokens;
        TenantId = tenantId;
        UserKey = userKey;
    }

    /// <summary>Gets the id the decision will be recorded under.</summary>
    public string DecisionId { get; }

    /// <summary>Gets the request's messages.</summary>
    public IEnumerable<ChatMessage> Messages { get; }

    /// <summary>Gets the request's options, without MetaModel's own entries.</summary>
    public ChatOptions? Options { get; }

    /// <summary>Gets the prompt's feature vector, as written by the router's <see cref="IPromptFeaturizer"/>.</summary>
    public ReadOnlyMemory<float> Features { get; }

    /// <summary>Gets the candidates that may serve the request, in registration order.</summary>
    public IReadOnlyList<IModelCandidate> EligibleCandidates { get; }

    /// <summary>Gets the estimated prompt size in tokens.</summary>
    public int EstimatedInputTokens { get; }

    /// <summary>Gets the tenant the request is made for, if any.</summary>
    public string? TenantId { get; }

    /// <summary>Gets the end user or session key the request is made for, if any (see <c>WithUser</c>).</summary>
    /// <remarks>Experiments assign a key to the same arm every time, so a user sees one arm only.</remarks>
    public string? UserKey { get; }
}

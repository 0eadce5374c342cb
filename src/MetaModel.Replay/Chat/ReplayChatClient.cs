using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MetaModel.Replay;

/// <summary>An <see cref="IChatClient"/> that answers recorded prompts with one model's recorded
/// responses.</summary>
/// <remarks>
/// <para>
/// The prompt is found by the sample id in <see cref="ChatOptions.AdditionalProperties"/> under
/// <see cref="ReplayPropertyNames.SampleId"/>, or else by the exact text of the last user message. The answer
/// is the recorded response text (empty when the data records none, as with LLMRouter), with
/// <see cref="ChatResponse.ModelId"/> set to the model id, a new <see cref="ChatResponse.ResponseId"/>, and
/// <see cref="ChatFinishReason.Stop"/>. The response's additional properties carry the recorded cost under
/// <see cref="MetaModelPropertyNames.ReportedCostUsd"/> (a <see cref="decimal"/>),
/// <see cref="MetaModelPropertyNames.ReportedCostIsEstimated"/> (a <see cref="bool"/>), and the replayed
/// prompt's <see cref="ReplayPropertyNames.SampleId"/>. Token usage is reported only when the outcome has
/// token counts. The recorded score is not put on the response: get it from
/// <see cref="GetRecordedScore(string)"/> and send it back as delayed feedback.
/// </para>
/// <para>
/// Streaming yields the same text in up to four updates; the last one carries the finish reason, the cost
/// entries and the usage. <see cref="ChatOptions.ModelId"/> and the other options are ignored.
/// </para>
/// <para>The client holds no mutable state and is safe to use from several threads at once.</para>
/// </remarks>
public sealed class ReplayChatClient : IChatClient
{
    private const int StreamingChunks = 4;
    private const int ErrorTextLength = 60;

    private readonly TimeProvider _timeProvider;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Initializes a new instance of the <see cref="ReplayChatClient"/> class.</summary>
    /// <param name="dataset">The recorded prompts and outcomes.</param>
    /// <param name="modelId">The id of the model whose outcomes this client replays.</param>
    /// <param name="timeProvider">The source of <see cref="ChatResponse.CreatedAt"/>;
    /// <see cref="TimeProvider.System"/> when omitted.</param>
    /// <exception cref="ArgumentException">The dataset has no model with id
    /// <paramref name="modelId"/>.</exception>
    public ReplayChatClient(
        ReplayDataset dataset,
        string modelId,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(modelId);
        if (!dataset.TryGetModel(modelId, out var model))
        {
            throw new ArgumentException(
                $"Replay dataset '{dataset.Name}' has no model '{modelId}'.",
                nameof(modelId));
        }

        Dataset = dataset;
        Model = model;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _metadata = new ChatClientMetadata("MetaModel.Replay", providerUri: null, model.Id);
    }

    /// <summary>Gets the dataset this client replays.</summary>
    /// <value>The dataset given to the constructor.</value>
    public ReplayDataset Dataset { get; }

    /// <summary>Gets the model whose outcomes this client replays.</summary>
    /// <value>One of the dataset's models.</value>
    public ReplayModel Model { get; }

    /// <summary>Gets the recorded score of this client's model on a prompt, to send back as quality
    /// feedback.</summary>
    /// <param name="sampleId">The sample id of the prompt.</param>
    /// <returns>The recorded score, or <see langword="null"/> when the data has no score for that
    /// call.</returns>
    /// <exception cref="KeyNotFoundException">The prompt is unknown, or the model has no outcome for
    /// it.</exception>
    public double? GetRecordedScore(string sampleId) => Dataset.GetRecordedScore(sampleId, Model.Id);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">
    /// The prompt is not in the dataset, or the model has no recorded outcome for it.
    /// </exception>
    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();

        var (prompt, outcome) = Resolve(messages, options);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, outcome.Response ?? string.Empty))
        {
            ResponseId = CreateId(),
            ModelId = Model.Id,
            CreatedAt = _timeProvider.GetUtcNow(),
            FinishReason = ChatFinishReason.Stop,
            Usage = CreateUsage(outcome),
            AdditionalProperties = CreateProperties(prompt, outcome),
        };

        return Task.FromResult(response);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">
    /// The prompt is not in the dataset, or the model has no recorded outcome for it.
    /// </exception>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);

        var (prompt, outcome) = Resolve(messages, options);
        var id = CreateId();
        var createdAt = _timeProvider.GetUtcNow();
        var chunks = Split(outcome.Response ?? string.Empty);
        for (var i = 0; i < chunks.Count; i++)
        {
            // Yielding between chunks lets the consumer run, as it would while a real provider streams.
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();

            // The updates carry no message id, so that ToChatResponse puts the last update's properties on the
            // response, where a non-streaming caller finds them, rather than on the message.
            var update = new ChatResponseUpdate(ChatRole.Assistant, chunks[i])
            {
                ResponseId = id,
                ModelId = Model.Id,
                CreatedAt = createdAt,
            };

            if (i == chunks.Count - 1)
            {
                update.FinishReason = ChatFinishReason.Stop;
                update.AdditionalProperties = CreateProperties(prompt, outcome);
                if (CreateUsage(outcome) is { } usage)
                {
                    update.Contents.Add(new UsageContent(usage));
                }
            }

            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);

        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Does nothing: the client holds no resources.</summary>
    public void Dispose()
    {
    }

    /// <inheritdoc />
    public override string ToString() => $"Replay of {Model.Id} over {Dataset.Name}";

    private (ReplayPrompt Prompt, ReplayOutcome Outcome) Resolve(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options)
    {
        ReplayPrompt? prompt;
        if (options?.AdditionalProperties?.TryGetValue(ReplayPropertyNames.SampleId, out var value) == true)
        {
            if (value is not string sampleId)
            {
                var actual = value?.GetType().Name ?? "null";
                throw new ArgumentException(
                    $"The '{ReplayPropertyNames.SampleId}' option must be a string, not {actual}.",
                    nameof(options));
            }

            if (!Dataset.TryGetPrompt(sampleId, out prompt))
            {
                throw new InvalidOperationException(
                    $"Replay dataset '{Dataset.Name}' has no prompt with sample id '{sampleId}'.");
            }
        }
        else
        {
            var text = messages.LastOrDefault(message => message.Role == ChatRole.User)?.Text
                ?? throw new InvalidOperationException(
                    $"The request has no '{ReplayPropertyNames.SampleId}' option and no user message to replay.");
            if (!Dataset.TryGetPromptByText(text, out prompt))
            {
                var shown = TextPreview.Of(text, ErrorTextLength);
                throw new InvalidOperationException(
                    $"Replay dataset '{Dataset.Name}' has no prompt whose text is \"{shown}\".");
            }
        }

        if (!prompt.Outcomes.TryGetValue(Model.Id, out var outcome))
        {
            throw new InvalidOperationException(
                $"Model '{Model.Id}' has no recorded outcome for sample '{prompt.SampleId}'.");
        }

        return (prompt, outcome);
    }

    private static string CreateId() => Guid.NewGuid().ToString("N");

    private static UsageDetails? CreateUsage(ReplayOutcome outcome) =>
        outcome.InputTokens is null && outcome.OutputTokens is null
            ? null
            : new UsageDetails
            {
                InputTokenCount = outcome.InputTokens,
                OutputTokenCount = outcome.OutputTokens,
                TotalTokenCount = (outcome.InputTokens ?? 0) + (outcome.OutputTokens ?? 0),
            };

    private static AdditionalPropertiesDictionary CreateProperties(ReplayPrompt prompt, ReplayOutcome outcome) =>
        new()
        {
            [MetaModelPropertyNames.ReportedCostUsd] = outcome.CostUsd,
            [MetaModelPropertyNames.ReportedCostIsEstimated] = outcome.CostIsEstimated,
            [ReplayPropertyNames.SampleId] = prompt.SampleId,
        };

    /// <summary>Splits text into up to <see cref="StreamingChunks"/> pieces of similar length, never inside a
    /// surrogate pair.</summary>
    internal static List<string> Split(string text)
    {
        var chunks = new List<string>(StreamingChunks);
        var size = Math.Max(1, (text.Length + StreamingChunks - 1) / StreamingChunks);
        var start = 0;
        do
        {
            var end = Math.Min(text.Length, start + size);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1]) && char.IsLowSurrogate(text[end]))
            {
                end++;
            }

            chunks.Add(text[start..end]);
            start = end;
        }
        while (start < text.Length);

        return chunks;
    }
}

using System.Diagnostics;
using MetaModel.DependencyInjection;
using MetaModel.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace MetaModel.Replay;

/// <summary>Replays a dataset through a metamodel built with <c>AddMetaModel</c>, the way an application calls it.</summary>
/// <remarks>
/// Every model of the dataset becomes a keyed <see cref="ReplayChatClient"/> and a candidate with the model's id and
/// list prices (when the data has them). Each prompt is sent as a plain <see cref="IChatClient"/> call; the recorded
/// score of the model that answered is what the run earns, and is sent back as delayed quality feedback so that
/// learning policies improve as the run goes on. Requests run one after another, so a seeded run is reproducible.
/// </remarks>
public static class ReplayRunner
{
    private const string MetaModelName = "metamodel-replay";

    /// <summary>Runs every prompt of <paramref name="dataset"/>, in its order, through a metamodel.</summary>
    /// <param name="dataset">The recorded prompts and outcomes.</param>
    /// <param name="label">The run's label.</param>
    /// <param name="configure">Chooses the policy and recorder; the candidates are already added.</param>
    /// <param name="options">The run's settings.</param>
    /// <param name="progress">Receives progress about every 1% of the run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What the run earned.</returns>
    /// <exception cref="ReplayDataException">As for the overload that takes a metamodel.</exception>
    public static async Task<ReplayRunResult> RunAsync(
        ReplayDataset dataset,
        string label,
        Action<MetaModelBuilder>? configure = null,
        ReplayRunOptions? options = null,
        IProgress<ReplayProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        options ??= new ReplayRunOptions();
        if (options.SendFeedback)
        {
            ReplayScoreRange.ThrowIfOutOfRange(dataset);
        }

        // The run has a container of its own, so the metamodel's name only has to differ from every model id.
        var services = new ServiceCollection();
        MetaModelBuilder builder = services.AddMetaModel(MetaModelName);
        foreach (ReplayModel model in dataset.Models)
        {
            services.AddKeyedSingleton<IChatClient>(model.Id, new ReplayChatClient(dataset, model.Id));
            builder.AddKeyedCandidate(model.Id, model.Id, settings =>
            {
                settings.InputPricePerMillion = model.InputPricePerMillion ?? 0;
                settings.OutputPricePerMillion = model.OutputPricePerMillion ?? 0;
                settings.Tags["provider"] = model.Id.Split('/')[0];
            });
        }

        configure?.Invoke(builder);
        await using ServiceProvider provider = services.BuildServiceProvider();
        MetaModelChatClient metaModel = provider.GetRequiredKeyedService<MetaModelChatClient>(MetaModelName);
        if (options.Prepare is { } prepare)
        {
            await prepare(metaModel, cancellationToken).ConfigureAwait(false);
        }

        IChatClient chat = metaModel;
        IRoutingFeedback feedback = provider.GetRequiredKeyedService<IRoutingFeedback>(MetaModelName);

        return await RunAsync(dataset, label, chat, feedback, options, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs every prompt of <paramref name="dataset"/>, in its order, through an existing metamodel.</summary>
    /// <param name="dataset">The recorded prompts and outcomes.</param>
    /// <param name="label">The run's label.</param>
    /// <param name="chat">A metamodel whose candidates are the dataset's models, under the same ids.</param>
    /// <param name="feedback">The metamodel's feedback sink.</param>
    /// <param name="options">The run's settings.</param>
    /// <param name="progress">Receives progress about every 1% of the run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>What the run earned.</returns>
    /// <exception cref="ReplayDataException">
    /// <see cref="ReplayRunOptions.SendFeedback"/> is set and a recorded score is outside [0, 1] (possible only in a
    /// dataset built in code); the message names the data's file, the prompt's sample id, the model and the score.
    /// Nothing is run then.
    /// </exception>
    public static async Task<ReplayRunResult> RunAsync(
        ReplayDataset dataset,
        string label,
        IChatClient chat,
        IRoutingFeedback feedback,
        ReplayRunOptions? options = null,
        IProgress<ReplayProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(feedback);
        options ??= new ReplayRunOptions();
        if (options.SendFeedback)
        {
            // Feedback is a quality from 0 to 1: a score outside it is refused before the run, not clamped in it.
            ReplayScoreRange.ThrowIfOutOfRange(dataset);
        }

        var choices = new Dictionary<string, int>(StringComparer.Ordinal);
        var curve = new List<ReplayCurvePoint>();
        double scoreSum = 0;
        decimal cost = 0;
        int failures = 0;
        int estimated = 0;
        int total = dataset.Prompts.Count;
        int step = Math.Max(1, total / 100);
        long start = Stopwatch.GetTimestamp();

        for (int i = 0; i < total; i++)
        {
            ReplayPrompt prompt = dataset.Prompts[i];
            var chatOptions = new ChatOptions
            {
                ModelId = options.PinnedModel,
                AdditionalProperties = new()
                {
                    [ReplayPropertyNames.SampleId] = prompt.SampleId,
                    [MetaModelPropertyNames.Task] = prompt.Task,
                },
            };
            if (options.SampleIdAsUserKey)
            {
                chatOptions.WithUser(prompt.SampleId);
            }

            try
            {
                RoutingInfo info = await CallAsync(chat, prompt.Text, chatOptions, options.Streaming, cancellationToken)
                    .ConfigureAwait(false);
                double score = dataset.GetRecordedScore(prompt.SampleId, info.CandidateId) ?? 0;
                scoreSum += score;
                cost += info.CostUsd;
                estimated += info.CostIsEstimated ? 1 : 0;
                choices[info.CandidateId] = choices.GetValueOrDefault(info.CandidateId) + 1;
                if (options.SendFeedback)
                {
                    _ = feedback.TryReportQuality(info.DecisionId, score);
                }
            }
            catch (Exception ex) when (ex is RoutingFailedException or NoEligibleCandidateException)
            {
                failures++;
            }

            int done = i + 1;
            if (options.CurveInterval > 0 && (done % options.CurveInterval == 0 || done == total))
            {
                curve.Add(new ReplayCurvePoint(done, scoreSum / done, cost));
            }

            if (done % step == 0 || done == total)
            {
                progress?.Report(new ReplayProgress(label, done, total));
            }
        }

        return new ReplayRunResult(
            label,
            total,
            failures,
            scoreSum,
            cost,
            estimated,
            choices,
            curve,
            Stopwatch.GetElapsedTime(start));
    }

    private static async Task<RoutingInfo> CallAsync(
        IChatClient chat,
        string prompt,
        ChatOptions options,
        bool streaming,
        CancellationToken cancellationToken)
    {
        if (!streaming)
        {
            ChatResponse response = await chat.GetResponseAsync(prompt, options, cancellationToken).ConfigureAwait(false);
            return response.GetRoutingInfo() ??
                throw new InvalidOperationException("The chat client is not a MetaModel: its response has no routing info.");
        }

        RoutingInfo? info = null;
        await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync(prompt, options, cancellationToken)
            .ConfigureAwait(false))
        {
            if (update.AdditionalProperties?.TryGetValue(MetaModelPropertyNames.RoutingInfo, out object? value) == true)
            {
                info = value as RoutingInfo;
            }
        }

        return info ??
            throw new InvalidOperationException("The chat client is not a MetaModel: its stream carries no routing info.");
    }
}

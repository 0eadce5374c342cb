using MetaModel.Policies;
using MetaModel.Routing;
using Microsoft.Extensions.AI;

namespace MetaModel.Replay;

/// <summary>Turns recorded outcomes into history that a learning policy can be warm-started with.</summary>
public static class ReplayHistory
{
    /// <summary>
    /// Creates one history record per prompt and model with a recorded score: full information, since the data
    /// records every model's answer to every prompt.
    /// </summary>
    /// <param name="dataset">The recorded prompts and outcomes, typically the training part of a split.</param>
    /// <param name="featurizer">The featurizer the metamodel uses, so that history and live requests match.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The records, prompt by prompt in the dataset's order.</returns>
    /// <exception cref="ReplayDataException">
    /// A recorded score is outside [0, 1] (possible only in a dataset built in code: the readers refuse such
    /// scores). The message names the data's file, the prompt's sample id, the model and the score; no prompt is
    /// featurized then.
    /// </exception>
    public static async Task<IReadOnlyList<BanditHistoryRecord>> ForBanditAsync(
        ReplayDataset dataset,
        IPromptFeaturizer featurizer,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(featurizer);
        ReplayScoreRange.ThrowIfOutOfRange(dataset);

        var records = new List<BanditHistoryRecord>(dataset.Prompts.Count * dataset.Models.Count);
        foreach (ReplayPrompt prompt in dataset.Prompts)
        {
            ChatMessage[] messages = [new ChatMessage(ChatRole.User, prompt.Text)];
            var features = new float[featurizer.Dimension];
            await featurizer.FeaturizeAsync(messages, prompt.Task, features, cancellationToken).ConfigureAwait(false);
            int tokens = TokenEstimator.ForMessages(messages);
            foreach (ReplayModel model in dataset.Models)
            {
                if (prompt.Outcomes.TryGetValue(model.Id, out ReplayOutcome? outcome) && outcome.Score is double score)
                {
                    records.Add(new BanditHistoryRecord(features, model.Id, score, outcome.CostUsd, tokens));
                }
            }
        }

        return records;
    }
}

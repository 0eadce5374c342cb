using System.Globalization;

namespace MetaModel.Replay;

/// <summary>Checks that a dataset's scores are answer qualities from 0 to 1 before a policy learns from them.</summary>
/// <remarks>
/// The readers refuse other scores in a file, so such a score comes from a dataset built in code. Clamping it
/// would teach the policy a quality the data does not say, and quietly; scores on another scale must be rescaled
/// by whoever built the dataset.
/// </remarks>
internal static class ReplayScoreRange
{
    /// <summary>Throws for the first score outside [0, 1], in the dataset's prompt and model order.</summary>
    /// <exception cref="ReplayDataException">A score is below 0 or above 1; the message names the data's file, the
    /// prompt's sample id, the model and the score.</exception>
    public static void ThrowIfOutOfRange(ReplayDataset dataset)
    {
        foreach (ReplayPrompt prompt in dataset.Prompts)
        {
            foreach (ReplayModel model in dataset.Models)
            {
                if (prompt.Outcomes.TryGetValue(model.Id, out ReplayOutcome? outcome)
                    && outcome.Score is double score and (< 0 or > 1))
                {
                    string shown = score.ToString(CultureInfo.InvariantCulture);
                    throw new ReplayDataException(
                        $"Prompt '{prompt.SampleId}' has a score of {shown} for model '{model.Id}'; scores are " +
                        "answer qualities from 0 to 1 (rescale other scales).",
                        dataset.SourcePath,
                        column: model.Id);
                }
            }
        }
    }
}

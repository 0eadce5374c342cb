using System.Diagnostics;
using System.Globalization;

namespace MetaModel.Replay;

/// <summary>Collects the models and prompts that a reader finds, and gives every prompt a unique sample
/// id.</summary>
internal sealed class ReplayDatasetBuilder
{
    private readonly List<ReplayModel> _models = [];
    private readonly HashSet<string> _modelIds = new(StringComparer.Ordinal);
    private readonly List<ReplayPrompt> _prompts = [];
    private readonly HashSet<string> _sampleIds = new(StringComparer.Ordinal);

    /// <summary>Gets the number of prompts added so far.</summary>
    public int PromptCount => _prompts.Count;

    /// <summary>Adds a model the first time its id is seen; later calls with the same id do nothing.</summary>
    public void AddModel(ReplayModel model)
    {
        if (_modelIds.Add(model.Id))
        {
            _models.Add(model);
        }
    }

    /// <summary>
    /// Adds a prompt. A sample id already taken becomes <c>&lt;id&gt;#2</c>, <c>#3</c> and so on: the first
    /// free one.
    /// </summary>
    public void AddPrompt(
        string sampleId,
        string task,
        string text,
        Dictionary<string, ReplayOutcome> outcomes)
    {
        Debug.Assert(outcomes.Keys.All(_modelIds.Contains), "Every outcome's model is added before the prompt.");

        var uniqueId = sampleId;
        for (var occurrence = 2; !_sampleIds.Add(uniqueId); occurrence++)
        {
            uniqueId = string.Create(CultureInfo.InvariantCulture, $"{sampleId}#{occurrence}");
        }

        _prompts.Add(new ReplayPrompt(uniqueId, task, text, outcomes));
    }

    public ReplayDataset Build(
        string name,
        string sourcePath,
        ReplayFormat format) =>
        new(name, sourcePath, format, _models, _prompts);
}

namespace MetaModel.Replay;

/// <summary>Where the columns of a RouterBench file are, found from its header.</summary>
internal sealed class RouterBenchColumns
{
    public const string SampleId = "sample_id";
    public const string Task = "eval_name";
    public const string Prompt = "prompt";
    public const string Oracle = "oracle_model_to_route_to";
    public const string ResponseSuffix = "model_response";
    public const string CostSuffix = "total_cost";

    private RouterBenchColumns(
        int count,
        int sampleId,
        int task,
        int prompt,
        List<ModelColumns> models)
    {
        Count = count;
        SampleIdIndex = sampleId;
        TaskIndex = task;
        PromptIndex = prompt;
        Models = models;
    }

    public int Count { get; }

    public int SampleIdIndex { get; }

    public int TaskIndex { get; }

    public int PromptIndex { get; }

    /// <summary>The models, in the order their first column appears.</summary>
    public IReadOnlyList<ModelColumns> Models { get; }

    /// <summary>Finds the columns in <paramref name="header"/>.</summary>
    /// <exception cref="ReplayDataException">A required column is missing, a name is empty or repeated, or a
    /// per-model column has no model name.</exception>
    public static RouterBenchColumns Parse(IReadOnlyList<string> header, string filePath)
    {
        if (header.Count == 0)
        {
            throw new ReplayDataException("The file is empty; a header row was expected.", filePath, line: 1);
        }

        int sampleId = -1, task = -1, prompt = -1;
        var models = new List<ModelColumns>();
        var modelIndexes = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];

            // pandas writes its row index as a first column without a name.
            if (i == 0 && name.Length == 0)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(name) || !seen.Add(name))
            {
                var problem = string.IsNullOrWhiteSpace(name) ? "has no name" : $"repeats the name '{name}'";
                throw new ReplayDataException($"Header column {i + 1} {problem}.", filePath, line: 1);
            }

            switch (name)
            {
                case SampleId: sampleId = i; continue;
                case Task: task = i; continue;
                case Prompt: prompt = i; continue;
                case Oracle: continue;
            }

            var separator = name.LastIndexOf('|');
            var modelId = separator < 0 ? name : name[..separator];
            var suffix = separator < 0 ? null : name[(separator + 1)..];
            if (suffix is not (null or ResponseSuffix or CostSuffix))
            {
                // Other per-model columns carry nothing a replay needs.
                continue;
            }

            if (string.IsNullOrWhiteSpace(modelId))
            {
                throw new ReplayDataException(
                    $"Header column {i + 1} ('{name}') has no model name before its '|'.",
                    filePath,
                    line: 1);
            }

            if (!modelIndexes.TryGetValue(modelId, out var m))
            {
                m = models.Count;
                modelIndexes.Add(modelId, m);
                models.Add(new ModelColumns(modelId, -1, -1, -1));
            }

            models[m] = suffix switch
            {
                null => models[m] with { ScoreIndex = i },
                ResponseSuffix => models[m] with { ResponseIndex = i },
                _ => models[m] with { CostIndex = i },
            };
        }

        RequireColumn(sampleId, SampleId, filePath);
        RequireColumn(task, Task, filePath);
        RequireColumn(prompt, Prompt, filePath);
        if (models.Count == 0)
        {
            throw new ReplayDataException(
                "The header names no model: expected a score column per model and '<model>|total_cost' columns.",
                filePath,
                line: 1);
        }

        foreach (var model in models)
        {
            RequireColumn(model.CostIndex, $"{model.Id}|{CostSuffix}", filePath);
        }

        return new RouterBenchColumns(header.Count, sampleId, task, prompt, models);
    }

    private static void RequireColumn(
        int index,
        string name,
        string filePath)
    {
        if (index < 0)
        {
            throw new ReplayDataException(
                $"The required column '{name}' is missing.",
                filePath,
                column: name,
                line: 1);
        }
    }

    /// <summary>The columns of one model; -1 for a column the file does not have.</summary>
    public readonly record struct ModelColumns(
        string Id,
        int ScoreIndex,
        int ResponseIndex,
        int CostIndex);
}

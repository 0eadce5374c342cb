using System.Diagnostics.CodeAnalysis;

namespace MetaModel.Replay;

/// <summary>
/// A set of recorded prompts and the outcome of each model on each of them, for evaluating a router offline.
/// </summary>
/// <remarks>
/// A dataset is immutable and safe to share between threads. <see cref="Shuffle(int)"/> and
/// <see cref="StratifiedSplit(double, int)"/> return new datasets that share the prompt and model instances.
/// </remarks>
public sealed class ReplayDataset
{
    private readonly Dictionary<string, ReplayPrompt> _promptsById;
    private readonly Dictionary<string, ReplayModel> _modelsById;
    private readonly Lazy<Dictionary<string, ReplayPrompt>> _promptsByText;

    /// <summary>Initializes a new instance of the <see cref="ReplayDataset"/> class.</summary>
    /// <param name="name">A short name for reports, such as the folder or file name.</param>
    /// <param name="sourcePath">The file or folder the data was read from.</param>
    /// <param name="format">The format the data was read from.</param>
    /// <param name="models">The models, in a stable order; ids must be unique.</param>
    /// <param name="prompts">The prompts, in replay order; sample ids must be unique.</param>
    /// <exception cref="ArgumentNullException">An argument or an element is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// A name is empty, an id is repeated, or an outcome names a model that is not in
    /// <paramref name="models"/>.
    /// </exception>
    public ReplayDataset(
        string name,
        string sourcePath,
        ReplayFormat format,
        IEnumerable<ReplayModel> models,
        IEnumerable<ReplayPrompt> prompts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourcePath);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(prompts);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown replay format.");
        }

        ReplayModel[] modelArray = [.. models];
        _modelsById = new Dictionary<string, ReplayModel>(modelArray.Length, StringComparer.Ordinal);
        foreach (var model in modelArray)
        {
            ArgumentNullException.ThrowIfNull(model, nameof(models));
            if (!_modelsById.TryAdd(model.Id, model))
            {
                throw new ArgumentException($"Model id '{model.Id}' appears more than once.", nameof(models));
            }
        }

        ReplayPrompt[] promptArray = [.. prompts];
        foreach (var prompt in promptArray)
        {
            ArgumentNullException.ThrowIfNull(prompt, nameof(prompts));
            foreach (var modelId in prompt.Outcomes.Keys)
            {
                if (!_modelsById.ContainsKey(modelId))
                {
                    throw new ArgumentException(
                        $"Prompt '{prompt.SampleId}' has an outcome for model '{modelId}', which is not listed.",
                        nameof(prompts));
                }
            }
        }

        Name = name;
        SourcePath = sourcePath;
        Format = format;
        Models = Array.AsReadOnly(modelArray);
        Prompts = Array.AsReadOnly(promptArray);
        _promptsById = IndexById(promptArray);
        _promptsByText = new Lazy<Dictionary<string, ReplayPrompt>>(IndexByText);
    }

    // Derived datasets reuse the validated models and prompts of their parent, so only the indexes are rebuilt.
    private ReplayDataset(
        ReplayDataset parent,
        string name,
        ReplayPrompt[] prompts)
    {
        Name = name;
        SourcePath = parent.SourcePath;
        Format = parent.Format;
        Models = parent.Models;
        Prompts = Array.AsReadOnly(prompts);
        _modelsById = parent._modelsById;
        _promptsById = IndexById(prompts);
        _promptsByText = new Lazy<Dictionary<string, ReplayPrompt>>(IndexByText);
    }

    /// <summary>Gets a short name for reports.</summary>
    /// <value>The folder or file name the data was read from, with a suffix for derived datasets.</value>
    public string Name { get; }

    /// <summary>Gets the file or folder the data was read from.</summary>
    /// <value>A full path.</value>
    public string SourcePath { get; }

    /// <summary>Gets the format the data was read from.</summary>
    /// <value>One of the <see cref="ReplayFormat"/> values.</value>
    public ReplayFormat Format { get; }

    /// <summary>Gets the models whose outcomes the dataset records.</summary>
    /// <value>A read-only list in the order the data names them.</value>
    public IReadOnlyList<ReplayModel> Models { get; }

    /// <summary>Gets the recorded prompts.</summary>
    /// <value>A read-only list in replay order: file order, unless the dataset comes from
    /// <see cref="Shuffle(int)"/>.</value>
    public IReadOnlyList<ReplayPrompt> Prompts { get; }

    /// <summary>Finds a prompt by its sample id.</summary>
    /// <param name="sampleId">The sample id, compared ordinally.</param>
    /// <param name="prompt">The prompt, when found.</param>
    /// <returns><see langword="true"/> when the dataset has a prompt with that id.</returns>
    public bool TryGetPrompt(string sampleId, [NotNullWhen(true)] out ReplayPrompt? prompt)
    {
        ArgumentNullException.ThrowIfNull(sampleId);
        return _promptsById.TryGetValue(sampleId, out prompt);
    }

    /// <summary>Finds a prompt by its exact text.</summary>
    /// <param name="text">The prompt text, compared ordinally.</param>
    /// <param name="prompt">The prompt, when found; the first in <see cref="Prompts"/> order when several
    /// share the text.</param>
    /// <returns><see langword="true"/> when the dataset has a prompt with that text.</returns>
    /// <remarks>The text index is built on the first call, once, in a thread-safe way.</remarks>
    public bool TryGetPromptByText(string text, [NotNullWhen(true)] out ReplayPrompt? prompt)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _promptsByText.Value.TryGetValue(text, out prompt);
    }

    /// <summary>Finds a model by its id.</summary>
    /// <param name="modelId">The model id, compared ordinally.</param>
    /// <param name="model">The model, when found.</param>
    /// <returns><see langword="true"/> when the dataset has a model with that id.</returns>
    public bool TryGetModel(string modelId, [NotNullWhen(true)] out ReplayModel? model)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        return _modelsById.TryGetValue(modelId, out model);
    }

    /// <summary>Finds the recorded outcome of a model on a prompt.</summary>
    /// <param name="sampleId">The sample id of the prompt.</param>
    /// <param name="modelId">The model id.</param>
    /// <param name="outcome">The outcome, when recorded.</param>
    /// <returns><see langword="true"/> when the prompt exists and the model has an outcome for it.</returns>
    public bool TryGetOutcome(
        string sampleId,
        string modelId,
        [NotNullWhen(true)] out ReplayOutcome? outcome)
    {
        ArgumentNullException.ThrowIfNull(sampleId);
        ArgumentNullException.ThrowIfNull(modelId);

        outcome = null;
        return _promptsById.TryGetValue(sampleId, out var prompt)
            && prompt.Outcomes.TryGetValue(modelId, out outcome);
    }

    /// <summary>Gets the recorded score of a model on a prompt, to send back as delayed quality
    /// feedback.</summary>
    /// <param name="sampleId">The sample id of the prompt.</param>
    /// <param name="modelId">The model id.</param>
    /// <returns>The recorded score, or <see langword="null"/> when the data has no score for that
    /// call.</returns>
    /// <exception cref="KeyNotFoundException">The prompt is unknown, or the model has no outcome for
    /// it.</exception>
    public double? GetRecordedScore(string sampleId, string modelId)
    {
        if (!TryGetOutcome(sampleId, modelId, out var outcome))
        {
            throw new KeyNotFoundException(
                $"Replay dataset '{Name}' has no outcome of model '{modelId}' for sample '{sampleId}'.");
        }

        return outcome.Score;
    }

    /// <summary>Returns a dataset with the same prompts in a seeded random order.</summary>
    /// <param name="seed">The seed of the permutation; the same seed gives the same order.</param>
    /// <returns>A new dataset named <c>&lt;name&gt; (shuffled)</c>; this dataset is not changed.</returns>
    /// <remarks>The permutation is a Fisher–Yates shuffle driven by <see cref="Random(int)"/>.</remarks>
    public ReplayDataset Shuffle(int seed)
    {
        ReplayPrompt[] order = [.. Prompts];
        CreateRandom(seed).Shuffle(order);
        return new ReplayDataset(this, $"{Name} (shuffled)", order);
    }

    /// <summary>Splits the prompts into a training set and a held-out set, stratified by task.</summary>
    /// <param name="holdOutFraction">The share of each task's prompts to hold out, from 0 to 1.</param>
    /// <param name="seed">The seed that chooses which prompts are held out; the same seed gives the same
    /// split.</param>
    /// <returns>
    /// The two datasets. Each task contributes round(count × <paramref name="holdOutFraction"/>) of its
    /// prompts, halves rounded away from zero, to the held-out set, and the rest to the training set. Both
    /// keep the prompt order of this dataset, and every prompt is in exactly one of them.
    /// </returns>
    /// <remarks>
    /// A task with few prompts can end up wholly on one side: with one prompt and a fraction of 0.5 or more,
    /// the prompt is held out.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="holdOutFraction"/> is NaN, below 0 or above 1.
    /// </exception>
    public ReplayDatasetSplit StratifiedSplit(double holdOutFraction, int seed)
    {
        if (double.IsNaN(holdOutFraction) || holdOutFraction < 0 || holdOutFraction > 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(holdOutFraction),
                holdOutFraction,
                "The held-out fraction must be between 0 and 1.");
        }

        // Tasks are visited in order of first appearance, so that the random draws, and so the split, depend only
        // on the seed and the data.
        var promptIndexesByTask = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var taskOrder = new List<List<int>>();
        for (var i = 0; i < Prompts.Count; i++)
        {
            if (!promptIndexesByTask.TryGetValue(Prompts[i].Task, out var indexes))
            {
                indexes = [];
                promptIndexesByTask.Add(Prompts[i].Task, indexes);
                taskOrder.Add(indexes);
            }

            indexes.Add(i);
        }

        var random = CreateRandom(seed);
        var heldOut = new bool[Prompts.Count];
        foreach (var indexes in taskOrder)
        {
            int[] candidates = [.. indexes];
            random.Shuffle(candidates);
            var count = (int)Math.Round(candidates.Length * holdOutFraction, MidpointRounding.AwayFromZero);
            foreach (var index in candidates.AsSpan(0, count))
            {
                heldOut[index] = true;
            }
        }

        var train = new List<ReplayPrompt>(Prompts.Count);
        var test = new List<ReplayPrompt>();
        for (var i = 0; i < Prompts.Count; i++)
        {
            (heldOut[i] ? test : train).Add(Prompts[i]);
        }

        return new ReplayDatasetSplit(
            new ReplayDataset(this, $"{Name} (train)", [.. train]),
            new ReplayDataset(this, $"{Name} (held-out)", [.. test]));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Prompts.Count} prompts, {Models.Count} models ({Format})";

#pragma warning disable CA5394 // Replay orders must be reproducible from a seed; nothing here needs secrecy.
    private static Random CreateRandom(int seed) => new(seed);
#pragma warning restore CA5394

    private static Dictionary<string, ReplayPrompt> IndexById(ReplayPrompt[] prompts)
    {
        var index = new Dictionary<string, ReplayPrompt>(prompts.Length, StringComparer.Ordinal);
        foreach (var prompt in prompts)
        {
            if (!index.TryAdd(prompt.SampleId, prompt))
            {
                throw new ArgumentException(
                    $"Sample id '{prompt.SampleId}' appears more than once.",
                    nameof(prompts));
            }
        }

        return index;
    }

    private Dictionary<string, ReplayPrompt> IndexByText()
    {
        var index = new Dictionary<string, ReplayPrompt>(Prompts.Count, StringComparer.Ordinal);
        foreach (var prompt in Prompts)
        {
            index.TryAdd(prompt.Text, prompt);
        }

        return index;
    }
}

namespace MetaModel.Replay;

/// <summary>A recorded prompt and the outcome of each model that answered it.</summary>
/// <remarks>Instances are immutable and safe to share between threads.</remarks>
public sealed class ReplayPrompt
{
    /// <summary>Initializes a new instance of the <see cref="ReplayPrompt"/> class.</summary>
    /// <param name="sampleId">The id of the prompt, unique within its dataset.</param>
    /// <param name="task">The task or cluster the prompt belongs to.</param>
    /// <param name="text">The prompt text, as sent to the models.</param>
    /// <param name="outcomes">The outcome of each model that answered, keyed by model id.</param>
    /// <exception cref="ArgumentNullException">An argument or an outcome is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sampleId"/> or <paramref name="task"/> is empty,
    /// or a model id is empty or repeated.</exception>
    public ReplayPrompt(
        string sampleId,
        string task,
        string text,
        IEnumerable<KeyValuePair<string, ReplayOutcome>> outcomes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sampleId);
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(outcomes);

        var byModel = new Dictionary<string, ReplayOutcome>(StringComparer.Ordinal);
        foreach (var (modelId, outcome) in outcomes)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(modelId, nameof(outcomes));
            ArgumentNullException.ThrowIfNull(outcome, nameof(outcomes));
            if (!byModel.TryAdd(modelId, outcome))
            {
                throw new ArgumentException($"Model '{modelId}' has more than one outcome.", nameof(outcomes));
            }
        }

        SampleId = sampleId;
        Task = task;
        Text = text;
        Outcomes = byModel.AsReadOnly();
    }

    /// <summary>Gets the id of the prompt, unique within its dataset.</summary>
    /// <value>
    /// The file's sample id. When a file (or the files of one folder) repeats a sample id for a different
    /// row, the second row gets <c>&lt;id&gt;#2</c>, the third <c>&lt;id&gt;#3</c>, and so on, so that every
    /// row stays a prompt of its own. LLMRouter has no sample ids: its prompts are named <c>&lt;file
    /// name&gt;-&lt;array index&gt;</c>.
    /// </value>
    public string SampleId { get; }

    /// <summary>Gets the task or cluster the prompt belongs to.</summary>
    /// <value>RouterBench's <c>eval_name</c>, or <c>cluster-&lt;id&gt;</c> for LLMRouter.</value>
    public string Task { get; }

    /// <summary>Gets the prompt text, as sent to the models.</summary>
    /// <value>The question; for RouterBench, the parts of the recorded list joined with
    /// <see cref="RouterBenchReader.PromptPartSeparator"/>.</value>
    public string Text { get; }

    /// <summary>Gets the outcome of each model that answered this prompt.</summary>
    /// <value>A read-only map from model id (ordinal) to outcome; a model absent from the map has no recorded
    /// outcome.</value>
    public IReadOnlyDictionary<string, ReplayOutcome> Outcomes { get; }

    /// <inheritdoc />
    public override string ToString() => SampleId;
}

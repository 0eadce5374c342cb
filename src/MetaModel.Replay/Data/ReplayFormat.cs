namespace MetaModel.Replay;

/// <summary>The recorded-outcome file formats that <see cref="ReplayDatasetLoader"/> reads.</summary>
public enum ReplayFormat
{
    /// <summary>
    /// RouterBench CSV: one row per prompt, a score column per model, and the model's response and billed cost
    /// in <c>&lt;model&gt;|model_response</c> and <c>&lt;model&gt;|total_cost</c> columns.
    /// </summary>
    RouterBench,

    /// <summary>
    /// LLMRouter JSON: a <c>train.json</c> array of questions with a score per model, and a
    /// <c>default_llm.json</c> price list. There is no per-query cost or response; costs are estimated from
    /// token counts.
    /// </summary>
    LlmRouter,
}

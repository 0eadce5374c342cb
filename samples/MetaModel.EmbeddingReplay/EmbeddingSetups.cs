using MetaModel.Features;
using MetaModel.ReplayDemo;
using Microsoft.Extensions.AI;

namespace MetaModel.EmbeddingReplay;

/// <summary>The feature setups this sample compares: MiniLM embeddings at several widths, and the hashing baseline.</summary>
internal static class EmbeddingSetups
{
    /// <summary>
    /// How many characters of the prompt's end are embedded: the model was trained on inputs of up to 256 word
    /// pieces, about 1,000 characters of English. Chosen from the model, not from the data.
    /// </summary>
    public const int TailCharacters = 1000;

    /// <summary>The text that is embedded for a request: the end of its last user message.</summary>
    public static Func<IEnumerable<ChatMessage>, string> TextSelector { get; } =
        EmbeddingTextSelectors.LastUserMessageTail(TailCharacters);

    /// <summary>The hashing featurizer as ReplayDemo's <c>evaluate</c> uses it, without the cold start.</summary>
    /// <returns>The setup.</returns>
    public static EvaluationSetup Hashing() =>
        EvaluationSetup.Hashing() with { FilePrefix = "hashing", ColdStart = false, RunLabel = "hashing" };

    /// <summary>
    /// The embedding setup chosen before any result was seen: the whole 384-value embedding plus the bias slot
    /// (d = 385, no projection, so nothing the model encodes is lost), the task label, and the bandit's full mode.
    /// </summary>
    /// <param name="generator">The embedding generator.</param>
    /// <returns>The setup, with the cold start.</returns>
    public static EvaluationSetup Primary(IEmbeddingGenerator<string, Embedding<float>> generator) =>
        Embedding(generator, dimension: 385, reducedDimension: 0, coldStart: true);

    /// <summary>The other widths tried: random projections to d = 64 and 128, and d = 385 in the bandit's reduced mode.</summary>
    /// <param name="generator">The embedding generator.</param>
    /// <returns>The setups, without the cold start.</returns>
    public static IEnumerable<EvaluationSetup> Alternatives(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        yield return Embedding(generator, dimension: 64, reducedDimension: 0, coldStart: false);
        yield return Embedding(generator, dimension: 128, reducedDimension: 0, coldStart: false);
        yield return Embedding(generator, dimension: 385, reducedDimension: 128, coldStart: false);
    }

    private static EvaluationSetup Embedding(
        IEmbeddingGenerator<string, Embedding<float>> generator,
        int dimension,
        int reducedDimension,
        bool coldStart)
    {
        var featurizer = new TaskFeaturizer(
            new EmbeddingPromptFeaturizer(generator, new() { Dimension = dimension, TextSelector = TextSelector }));
        string label = reducedDimension > 0 ? $"MiniLM d={dimension}, reduced to {reducedDimension}" : $"MiniLM d={dimension}";
        string reduction = dimension == MiniLmEmbeddingGenerator.Dimensions + 1
            ? "the whole embedding"
            : $"a seeded random projection of the embedding to {dimension - 1} values";
        string mode = reducedDimension > 0
            ? $"the bandit models a seeded random projection of the whole vector to {reducedDimension} values (ReducedDimension)"
            : "the bandit models the vector directly (full mode)";
        return new EvaluationSetup(
            label,
            $"Features: {MiniLmEmbeddingGenerator.ModelId} embedding of the last {TailCharacters:N0} characters of the prompt " +
                $"(dimension {dimension}: a bias slot and {reduction}), plus the prompt's task as its task label " +
                $"({TaskFeaturizer.DefaultTaskSlots} slots; the per-task rule below uses the same label); {mode}.",
            featurizer,
            FilePrefix: reducedDimension > 0 ? $"minilm-{dimension}-reduced-{reducedDimension}" : $"minilm-{dimension}",
            ConfigureBandit: o => o.ReducedDimension = reducedDimension,
            ColdStart: coldStart,
            RunLabel: reducedDimension > 0 ? $"MiniLM-{dimension}r{reducedDimension}" : $"MiniLM-{dimension}");
    }
}

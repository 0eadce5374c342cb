using BenchmarkDotNet.Attributes;
using MetaModel.Features;
using Microsoft.Extensions.AI;

namespace MetaModel.Benchmarks;

/// <summary>
/// Featurizing a 2,000-character prompt (plus a short system prompt) into 64 values; compare with
/// <see cref="DecisionBenchmarks"/>, whose cost it must stay well under.
/// </summary>
public class FeaturizerBenchmarks
{
    private readonly HashingPromptFeaturizer _featurizer = new();
    private readonly float[] _destination = new float[64];
    private List<ChatMessage> _messages = null!;

    /// <summary>Gets or sets the script of the prompt: English, or the same text with its letters mapped to Cyrillic
    /// ones (words and punctuation unchanged) or to Han ideographs (each a word of its own, as in Chinese), which take
    /// the path for text beyond ASCII.</summary>
    [Params("latin", "cyrillic", "han")]
    public string Script { get; set; } = "latin";

    [GlobalSetup]
    public void Setup()
    {
        string prompt = PromptText.TwoThousandCharacters();
        if (Script != "latin")
        {
            (char lower, char upper) = Script == "cyrillic" ? ('а', 'А') : ('\u4E00', '\u4E80');
            prompt = string.Create(prompt.Length, (prompt, lower, upper), static (span, state) =>
            {
                for (int i = 0; i < state.prompt.Length; i++)
                {
                    char c = state.prompt[i];
                    span[i] = c is >= 'a' and <= 'z' ? (char)(state.lower + (c - 'a'))
                        : c is >= 'A' and <= 'Z' ? (char)(state.upper + (c - 'A'))
                        : c;
                }
            });
        }

        _messages = [new(ChatRole.System, "You are a careful assistant."), new(ChatRole.User, prompt)];
    }

    [Benchmark]
    public void Featurize() => _featurizer.Featurize(_messages, _destination);

    [Benchmark]
    public ValueTask FeaturizeAsync() => _featurizer.FeaturizeAsync(_messages, _destination);
}

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

    [GlobalSetup]
    public void Setup()
    {
        string prompt = PromptText.TwoThousandCharacters();
        _messages = [new(ChatRole.System, "You are a careful assistant."), new(ChatRole.User, prompt)];
    }

    [Benchmark]
    public void Featurize() => _featurizer.Featurize(_messages, _destination);

    [Benchmark]
    public ValueTask FeaturizeAsync() => _featurizer.FeaturizeAsync(_messages, _destination);
}

using MetaModel.Candidates;
using MetaModel.Compliance;
using MetaModel.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace MetaModel.Tests.Fakes;

/// <summary>Builds routers on a fake clock with a recorder, an ordered recording policy and a list logger.</summary>
public sealed class TestRouter
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);

    public InMemoryComplianceRecorder Recorder { get; } = new();

    public RecordingPolicy Policy { get; } = new();

    public ListLogger<MetaModelChatClient> Logger { get; } = new();

    public static ModelCandidate Candidate(
        string id,
        IChatClient client,
        decimal input = 0,
        decimal output = 0,
        int contextWindow = ModelCandidate.DefaultContextWindow) =>
        new(id, client, new ModelPricing(input, output), contextWindow);

    public MetaModelChatClient Create(params ModelCandidate[] candidates) => Create(null, candidates);

    public MetaModelChatClient Create(Action<MetaModelOptions>? configure, params ModelCandidate[] candidates)
    {
        var options = new MetaModelOptions();
        options.Failover.RetryBaseDelay = TimeSpan.Zero;
        options.Failover.Random = new Random(7);
        configure?.Invoke(options);
        return new MetaModelChatClient(candidates, Policy, options, Recorder, timeProvider: Time, logger: Logger);
    }
}

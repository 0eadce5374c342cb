using BenchmarkDotNet.Attributes;
using MetaModel.Candidates;
using MetaModel.Compliance;
using MetaModel.Features;
using MetaModel.Policies;
using Microsoft.Extensions.AI;

namespace MetaModel.Benchmarks;

/// <summary>
/// What routing adds to a call: a fake candidate that answers at once, called directly, through MetaModel with each
/// policy (featurize, eligibility, score, failover driver, cost, record), and through the platform's own routers.
/// </summary>
/// <remarks>
/// The prompt is 1,000 characters; 8 candidates. MetaModel builds every record and hands it to a recorder that only
/// counts, so the figures include building the records but not storing them (the durable recorder's enqueue is
/// measured by the compliance benchmarks).
/// </remarks>
[MemoryDiagnoser]
public class RoutingOverheadBenchmarks : IDisposable
{
    private const int CandidateCount = 8;

    private readonly ChatMessage[] _messages = [new ChatMessage(ChatRole.User, PromptText.TwoThousandCharacters()[..1_000])];
    private InstantChatClient[] _fakes = [];
    private MetaModelChatClient _ordered = null!;
    private MetaModelChatClient _bandit = null!;
    private OrderedFailoverChatClient _platformOrdered = null!;
    private SemanticRoutingChatClient _platformSemantic = null!;
    private CountingRecorder _recorder = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fakes = Enumerable.Range(0, CandidateCount).Select(i => new InstantChatClient($"model-{i}")).ToArray();
        ModelCandidate[] candidates = _fakes
            .Select((f, i) => new ModelCandidate($"c{i}", f, new ModelPricing(i + 1, 2 * (i + 1))))
            .ToArray();
        _recorder = new CountingRecorder();
        var featurizer = new HashingPromptFeaturizer();
        _ordered = new MetaModelChatClient(candidates, new OrderedRoutingPolicy(), recorder: _recorder, featurizer: featurizer);
        _bandit = new MetaModelChatClient(candidates, new BanditRoutingPolicy(), recorder: _recorder, featurizer: featurizer);
        _platformOrdered = new OrderedFailoverChatClient(_fakes, leaveOpen: true);
        var profiles = _fakes.ToDictionary(
            f => (IChatClient)f,
            f => (IReadOnlyList<string>)[$"questions about {f.Name}", $"tasks for {f.Name}"]);
        _platformSemantic = new SemanticRoutingChatClient(
            new HashEmbeddingGenerator(),
            profiles,
            _fakes[0],
            scoreThreshold: 0,
            topK: 1,
            SemanticRoutingChatClient.ScoreAggregation.Mean,
            leaveOpen: true);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _ordered.Dispose();
        _bandit.Dispose();
        _platformOrdered.Dispose();
        _platformSemantic.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public Task<ChatResponse> Direct() => _fakes[0].GetResponseAsync(_messages);

    [Benchmark]
    public Task<ChatResponse> MetaModelOrdered() => _ordered.GetResponseAsync(_messages);

    [Benchmark]
    public Task<ChatResponse> MetaModelBandit() => _bandit.GetResponseAsync(_messages);

    [Benchmark]
    public Task<ChatResponse> PlatformOrderedFailover() => _platformOrdered.GetResponseAsync(_messages);

    [Benchmark]
    public Task<ChatResponse> PlatformSemanticRouting() => _platformSemantic.GetResponseAsync(_messages);

    /// <summary>A recorder that counts what it receives.</summary>
    private sealed class CountingRecorder : IComplianceRecorder
    {
        public long Count { get; private set; }

        public void RecordDecision(DecisionRecord record) => Count++;

        public void RecordAttempt(AttemptRecord record) => Count++;

        public void RecordOutcome(OutcomeRecord record) => Count++;

        public void RecordFeedback(FeedbackRecord record) => Count++;
    }

    /// <summary>A fake embedding generator: a 64-value hash of the text, so the platform's semantic router has vectors.</summary>
    private sealed class HashEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly HashingPromptFeaturizer _featurizer = new();

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values,
            EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (string value in values)
            {
                var vector = new float[_featurizer.Dimension];
                _featurizer.Featurize([new ChatMessage(ChatRole.User, value)], vector);
                result.Add(new Embedding<float>(vector));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}

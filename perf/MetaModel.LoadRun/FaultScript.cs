using MetaModel.ScriptedServer;

namespace MetaModel.LoadRun;

/// <summary>
/// Chooses each reply at random with fixed odds: 10% 429 asking to retry after 20 ms, 5% 500, 2% streams cut partway
/// (a non-streamed request gets a 502 instead), the rest a whole answer of <see cref="Words"/> words.
/// </summary>
internal sealed class FaultScript
{
    public const int Words = 24;
    public const int CompletionTokens = 24;
    public static readonly string Answer = ScriptedReply.Words(Words);

    private readonly Lock _lock = new();
    private readonly Random _random;
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public FaultScript(int seed)
    {
        _random = new Random(seed);
    }

    public IReadOnlyDictionary<string, long> Counts
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, long>(_counts);
            }
        }
    }

    public ScriptedReply Next(ScriptedRequest request)
    {
        double roll;
        int cutAfter;
        lock (_lock)
        {
            roll = _random.NextDouble();
            cutAfter = _random.Next(0, Words);
        }

        (string kind, ScriptedReply reply) = roll switch
        {
            < 0.10 => ("429", ScriptedReply.Error(
                429,
                "rate_limit_exceeded",
                "Rate limit reached",
                new Dictionary<string, string> { ["retry-after-ms"] = "20" })),
            < 0.15 => ("500", ScriptedReply.Error(500, "server_error", "The server had an error")),
            < 0.17 when request.Streaming => ("cut", new ScriptedReply
            {
                Text = Answer,
                CutAfter = cutAfter,
                CutMode = cutAfter % 2 == 0 ? CutMode.Abort : CutMode.EndQuietly,
                PromptTokens = 20,
                CompletionTokens = CompletionTokens,
            }),
            < 0.17 => ("502", ScriptedReply.Error(502, "bad_gateway", "Bad gateway")),
            _ => ("ok", new ScriptedReply { Text = Answer, PromptTokens = 20, CompletionTokens = CompletionTokens }),
        };

        lock (_lock)
        {
            _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
        }

        return reply;
    }
}

using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Sqlite;
using MetaModel.DependencyInjection;
using MetaModel.Replay;

namespace MetaModel.ReplayDemo;

/// <summary>Runs every single model and every routing policy over the same replayed stream.</summary>
internal sealed class ReplayDemo(ReplayDataset stream, DemoSettings settings)
{
    // The demo's own pseudonymization key: tenants and users are stored as keyed hashes, never raw.
    private static readonly byte[] s_demoKey = "replay-demo-pseudonymization-key"u8.ToArray();

    /// <summary>The stream, and label, of the bandit router: the one whose costs the demo suggests looking at.</summary>
    public const string BanditStream = "bandit";

    private readonly string _logPath = Path.Combine(settings.OutputDirectory, "decision-log.db");

    public string DecisionLogPath => _logPath;

    /// <summary>
    /// The command that prints the bandit router's cost table. The log holds one stream per router, and a report
    /// without <c>--stream</c> adds them all up, which is no router's cost.
    /// </summary>
    public static string CostCommand(string logPath) =>
        $"dotnet run -c Release --project src/MetaModel.Cli -- cost --sqlite \"{logPath}\" --stream {BanditStream} " +
        "--by candidate";

    public async Task<IReadOnlyList<ReplayRunResult>> RunSingleModelsAsync()
    {
        var results = new List<ReplayRunResult>();
        foreach (ReplayModel model in stream.Models)
        {
            results.Add(await ReplayRunner.RunAsync(
                stream,
                model.Id,
                options: new ReplayRunOptions { PinnedModel = model.Id },
                progress: Progress()).ConfigureAwait(false));
        }

        return results;
    }

    public async Task<IReadOnlyList<ReplayRunResult>> RunRoutersAsync(IReadOnlyList<ReplayRunResult> singles)
    {
        ReplayRunResult best = ReplayReport.BestSingle(singles);
        ReplayRunResult cheapest = singles.OrderBy(s => s.TotalCostUsd).First();
        var weights = new Dictionary<string, double> { [best.Label] = 1, [cheapest.Label] = 1 };

        var results = new List<ReplayRunResult>
        {
            await RunRouterAsync("ordered", b => b.UseOrderedPolicy()).ConfigureAwait(false),
            await RunRouterAsync("weighted-ab", b => b.UseWeightedPolicy(weights, settings.Seed)).ConfigureAwait(false),
            await RunRouterAsync("cost-aware", b => b.UseCostAwarePolicy()).ConfigureAwait(false),
            // The recorded task of each prompt reaches the router as its task label, which the bandit learns from.
            await RunRouterAsync(BanditStream, b => b.UseTaskFeatures().UseBanditPolicy()).ConfigureAwait(false),
            await RunRouterAsync("bandit λ=0.3", b => b.UseTaskFeatures().UseBanditPolicy(o => o.CostWeight = 0.3))
                .ConfigureAwait(false),
        };
        return results;
    }

    /// <summary>Starts a fresh decision log, so every run of the demo verifies only what it wrote.</summary>
    public void ResetDecisionLog()
    {
        foreach (string file in new[] { _logPath, _logPath + "-wal", _logPath + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Verifies the hash chain of every router's stream in the decision log.</summary>
    public async Task<IReadOnlyList<VerificationReport>> VerifyDecisionLogAsync()
    {
        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.OpenExisting(_logPath);
        return await ChainVerifier.VerifyAllAsync(store).ConfigureAwait(false);
    }

    private Task<ReplayRunResult> RunRouterAsync(string label, Action<MetaModelBuilder> policy) =>
        ReplayRunner.RunAsync(
            stream,
            label,
            builder =>
            {
                policy(builder);

                // Each router writes its own stream of the one SQLite log; the container flushes it when the run ends.
                builder.UseSqliteRecorder(_logPath, log =>
                {
                    log.Stream = label;
                    log.PseudonymizationKey = s_demoKey;
                });
            },
            progress: Progress());

    private static Progress<ReplayProgress> Progress() => new(p =>
    {
        if (!Console.IsErrorRedirected)
        {
            Console.Error.Write($"\r  {p.Label,-45} {p.Completed * 100 / p.Total,3}%");
            if (p.Completed == p.Total)
            {
                Console.Error.WriteLine();
            }
        }
        else if (p.Completed == p.Total || p.Completed % Math.Max(1, p.Total / 4) == 0)
        {
            Console.Error.WriteLine($"  {p.Label,-45} {p.Completed}/{p.Total}");
        }
    });
}

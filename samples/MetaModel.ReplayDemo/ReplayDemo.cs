using System.Text.Json;
using MetaModel.Compliance;
using MetaModel.DependencyInjection;
using MetaModel.Replay;

namespace MetaModel.ReplayDemo;

/// <summary>Runs every single model and every routing policy over the same replayed stream.</summary>
internal sealed class ReplayDemo(ReplayDataset stream, DemoSettings settings)
{
    private readonly List<string> _logs = [];

    public string DecisionLogDescription => _logs.Count == 0
        ? "(none)"
        : $"{Path.GetDirectoryName(_logs[0])}{Path.DirectorySeparatorChar}decisions-*.jsonl ({_logs.Count} files, one per router)";

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
            await RunRouterAsync("bandit", b => b.UseBanditPolicy()).ConfigureAwait(false),
        };
        return results;
    }

    private async Task<ReplayRunResult> RunRouterAsync(string label, Action<MetaModelBuilder> policy)
    {
        var recorder = new InMemoryComplianceRecorder();
        ReplayRunResult result = await ReplayRunner.RunAsync(
            stream,
            label,
            builder =>
            {
                policy(builder);
                builder.UseRecorder(recorder);
            },
            progress: Progress()).ConfigureAwait(false);

        string path = Path.Combine(settings.OutputDirectory, $"decisions-{label}.jsonl");
        await WriteLogAsync(path, recorder).ConfigureAwait(false);
        _logs.Add(path);
        return result;
    }

    private static async Task WriteLogAsync(string path, InMemoryComplianceRecorder recorder)
    {
        await using var writer = new StreamWriter(path);
        var outcomes = recorder.Outcomes.ToDictionary(o => o.DecisionId);
        var feedback = recorder.Feedback.ToLookup(f => f.DecisionId);
        foreach (DecisionRecord decision in recorder.Decisions)
        {
            var line = new
            {
                decision,
                outcome = outcomes.GetValueOrDefault(decision.DecisionId),
                feedback = feedback[decision.DecisionId],
            };
            await writer.WriteLineAsync(JsonSerializer.Serialize(line)).ConfigureAwait(false);
        }
    }

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

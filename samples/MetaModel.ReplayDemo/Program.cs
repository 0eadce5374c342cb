// The main job: replay real recorded outcomes of many models through MetaModel, policy by policy, and compare
// each policy with every single model on accuracy and cost.
//
//   dotnet run -c Release --project samples/MetaModel.ReplayDemo [PATH] [--seed N] [--out DIR]
//   dotnet run -c Release --project samples/MetaModel.ReplayDemo evaluate [PATH] [--holdout 0.3]
//
// PATH is a folder or file in the RouterBench CSV or LLMRouter JSON format; by default every RouterBench file in
// ../shared/data/routerbench (next to the repository). The prompts are replayed in a seeded random order through
// services.AddMetaModel(...) and plain IChatClient calls; each answer's recorded score is sent back as quality
// feedback. Exit codes: 0 done, 2 the data is missing or malformed.
using System.Globalization;
using MetaModel.Replay;
using MetaModel.ReplayDemo;

var settings = DemoSettings.Parse(args);
if (DemoStartup.Load(settings, DemoSettings.UsageText, out ReplayDataset dataset) is int exitCode)
{
    return exitCode;
}

if (settings.Evaluate)
{
    try
    {
        await new Evaluation(dataset, settings).RunAsync();
    }
    catch (ReplayDataException ex)
    {
        // The data set loaded but is too small to split into a warm-start part and a held-out part.
        Console.Error.WriteLine(ex.Message);
        return 2;
    }

    return 0;
}

ReplayDataset stream = dataset.Shuffle(settings.Seed);
var demo = new ReplayDemo(stream, settings);
demo.ResetDecisionLog();

IReadOnlyList<ReplayRunResult> singles = await demo.RunSingleModelsAsync();
IReadOnlyList<ReplayRunResult> routers = await demo.RunRoutersAsync(singles);
ReplayRunResult best = ReplayReport.BestSingle(singles);

Console.WriteLine();
Console.WriteLine(
    $"Replay of {dataset.Name} ({stream.Prompts.Count:N0} requests). " +
    $"Percentages compare with the most accurate single model, {best.Label}.");
Console.WriteLine();
Console.WriteLine(ReplayReport.FormatTable(routers.Concat(singles.OrderByDescending(s => s.Accuracy)), best));
Console.WriteLine(
    $"('ordered' tries the models in the data's order, so its first model, {dataset.Models[0].Id}, " +
    "answers whenever it is up.)");
Console.WriteLine();

string plot = Path.Combine(settings.OutputDirectory, "accuracy-vs-cost.svg");
File.WriteAllText(plot, AccuracyCostPlot.Render($"{dataset.Name}: accuracy vs cost", routers, singles));
string table = Path.Combine(settings.OutputDirectory, "results.md");
File.WriteAllText(table, ReplayReport.FormatTable(routers.Concat(singles.OrderByDescending(s => s.Accuracy)), best));
Console.WriteLine($"Plot:         {plot}");
Console.WriteLine($"Table:        {table}");
IReadOnlyList<MetaModel.Compliance.Chain.VerificationReport> reports = await demo.VerifyDecisionLogAsync();
Console.WriteLine(
    $"Decision log: {demo.DecisionLogPath} (SQLite, one hash-chained stream per router: " +
    $"{reports.Sum(r => r.EntryCount):N0} entries; chain {(reports.All(r => r.IsValid) ? "verified intact" : "BROKEN")}).");
Console.WriteLine(
    $"  verify it:  dotnet run -c Release --project src/MetaModel.Cli -- verify --sqlite \"{demo.DecisionLogPath}\"");
Console.WriteLine($"  cost table: {ReplayDemo.CostCommand(demo.DecisionLogPath)}");
Console.WriteLine(
    $"Replayed {routers.Concat(singles).Sum(r => r.Requests).ToString("N0", CultureInfo.InvariantCulture)} requests in " +
    $"{routers.Concat(singles).Sum(r => r.Elapsed.TotalSeconds):0.0} s.");
return 0;

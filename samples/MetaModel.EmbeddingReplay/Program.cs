// Runs ReplayDemo's held-out bandit evaluation with real sentence embeddings (all-MiniLM-L6-v2, run locally) as the
// prompt features, next to the hashing featurizer, and writes the reports, plots and a side-by-side table.
//
//   dotnet run -c Release --project samples/MetaModel.EmbeddingReplay [PATH] [--seed N] [--out DIR] [--holdout F]
//       [--all-dimensions]
//
// PATH is a folder or file in the RouterBench CSV or LLMRouter JSON format (default: ../shared/data/routerbench next
// to the repository). Embeddings are cached in out/embeddings/ under the repository, one file per text, so only the
// first run on a data set pays for them. Exit codes: 0 done, 2 the data is missing or malformed.
using System.Diagnostics;
using System.Globalization;
using MetaModel.EmbeddingReplay;
using MetaModel.Replay;
using MetaModel.ReplayDemo;
using Microsoft.Extensions.AI;

const string Usage =
    "usage: MetaModel.EmbeddingReplay [PATH] [--seed N] [--out DIR] [--holdout FRACTION] [--all-dimensions]\n" +
    "  --all-dimensions  also evaluate embedding widths 64 and 128 and the bandit's reduced mode\n" +
    "  PATH  a folder or file of recorded outcomes (default: ../shared/data/routerbench next to the repository)";

bool allDimensions = args.Contains("--all-dimensions");
var settings = DemoSettings.Parse([.. args.Where(a => a != "--all-dimensions")], "embedding-replay", Usage);
if (DemoStartup.Load(settings, Usage, out ReplayDataset dataset) is int exitCode)
{
    return exitCode;
}

// Every prompt is embedded once, up front and in batches, so the evaluation itself only reads the cache.
string cacheFolder = Path.Combine(
    DemoSettings.RepositoryRoot() ?? Environment.CurrentDirectory,
    "out",
    "embeddings",
    MiniLmEmbeddingGenerator.ModelId);
using var generator = new DiskCachingEmbeddingGenerator(
    new MiniLmEmbeddingGenerator(),
    cacheFolder,
    MiniLmEmbeddingGenerator.Dimensions);
string[] texts = [.. dataset.Prompts.Select(p => EmbeddingSetups.TextSelector([new ChatMessage(ChatRole.User, p.Text)]))];
var clock = Stopwatch.StartNew();
int embedded = await generator.PrecomputeAsync(texts, batchSize: 32, new ConsoleProgress(clock));
clock.Stop();
int distinct = texts.Distinct(StringComparer.Ordinal).Count();
string embeddingTime = embedded == 0
    ? $"All {distinct:N0} distinct texts were in the cache ({cacheFolder}); loaded in {clock.Elapsed.TotalSeconds:0.0} s."
    : string.Create(
        CultureInfo.InvariantCulture,
        $"Embedded {embedded:N0} of {distinct:N0} distinct texts in {clock.Elapsed.TotalSeconds:0.0} s " +
        $"({clock.Elapsed.TotalMilliseconds / embedded:0.0} ms per text, mean length " +
        $"{texts.Average(t => t.Length):0} characters); cache: {cacheFolder}.");
Console.WriteLine(embeddingTime);
if (generator.CorruptFiles > 0)
{
    Console.WriteLine($"{generator.CorruptFiles} cache files were unreadable or invalid and were recomputed.");
}

List<EvaluationSetup> setups = [EmbeddingSetups.Hashing(), EmbeddingSetups.Primary(generator)];
if (allDimensions)
{
    setups.AddRange(EmbeddingSetups.Alternatives(generator));
}

var results = new List<EvaluationResult>();
foreach (EvaluationSetup setup in setups)
{
    Console.WriteLine();
    Console.WriteLine($"=== {setup.Label} ===");
    clock.Restart();
    try
    {
        results.Add(await new Evaluation(dataset, settings, setup).RunAsync());
    }
    catch (ReplayDataException ex)
    {
        // The data set loaded but is too small to split into a warm-start part and a held-out part.
        Console.Error.WriteLine(ex.Message);
        return 2;
    }

    Console.WriteLine($"{setup.Label}: evaluated in {clock.Elapsed.TotalSeconds:0.0} s.");
}

string comparison = Comparison.Format(dataset.Name, results) + embeddingTime + Environment.NewLine;
string comparisonPath = Path.Combine(settings.OutputDirectory, "comparison.md");
await File.WriteAllTextAsync(comparisonPath, comparison);
Console.WriteLine();
Console.WriteLine(comparison);
Console.WriteLine($"Comparison: {comparisonPath}");
Console.WriteLine($"Plots:      {string.Join(", ", results.Select(r => r.ReportPath.Replace("-evaluation.md", "-*.svg")))}");
Console.WriteLine(
    $"Embedding cache: {generator.Hits:N0} hits, {generator.Misses:N0} texts embedded in this run.");
return 0;

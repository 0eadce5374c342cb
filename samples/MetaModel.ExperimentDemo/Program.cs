// Experiment demo: two A/B experiments replayed over recorded answers of real models, analysed from the decision
// log, printed as Markdown tables and drawn as SVG plots.
//
//   dotnet run -c Release --project samples/MetaModel.ExperimentDemo [-- PATH]
//
// PATH is a folder of recorded outcomes (default: ../shared/data/routerbench next to the repository). The plots go
// to out/experiments/. Each prompt's sample id is its user key, so every prompt stays in one arm, and the split is
// the same in every run.
using MetaModel.Compliance;
using MetaModel.Experiments;
using MetaModel.Experiments.Analysis;
using MetaModel.Replay;

string root = FindRepositoryRoot();
string dataPath =
    args.Length > 0 ? Path.GetFullPath(args[0]) : Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "routerbench"));
string outputDirectory = Path.Combine(root, "out", "experiments");
Directory.CreateDirectory(outputDirectory);

ReplayDataset dataset = ReplayDatasetLoader.Load(dataPath);
Console.WriteLine($"{dataset}");
Console.WriteLine();

Experiment[] experiments =
[
    new(
        "strong-vs-weak",
        [
            ExperimentArm.ForCandidate("gpt-4", 1, "gpt-4-1106-preview"),
            ExperimentArm.ForCandidate("mistral-7b", 1, "mistralai/mistral-7b-chat"),
        ]),
    new(
        "a-a",
        [
            ExperimentArm.ForCandidate("gpt-4", 1, "gpt-4-1106-preview"),
            ExperimentArm.ForCandidate("gpt-4 again", 1, "gpt-4-1106-preview"),
        ]),
];

foreach (Experiment experiment in experiments)
{
    var recorder = new InMemoryComplianceRecorder();
    await ReplayRunner.RunAsync(
        dataset,
        experiment.Id,
        builder => builder.UseExperiment(experiment).UseRecorder(recorder),
        new ReplayRunOptions { SampleIdAsUserKey = true, CurveInterval = 0 });

    // The plan: detect a 5-point quality difference of 0/1 scores with 80% power at alpha 0.05.
    int planned = ExperimentPlan.SamplesPerArm(minimumDetectableEffect: 0.05, standardDeviation: 0.5);
    ExperimentReport report = ExperimentAnalyzer.Analyze(
        experiment,
        recorder.Decisions,
        recorder.Outcomes,
        recorder.Feedback,
        new ExperimentAnalysisOptions { PlannedSamplesPerArm = planned });

    Console.WriteLine($"## {experiment.Id}");
    Console.WriteLine();
    Console.WriteLine(report.ToMarkdown());
    string plot = Path.Combine(outputDirectory, experiment.Id + ".svg");
    await File.WriteAllTextAsync(plot, ExperimentPlot.Render(report, $"{experiment.Id} over {dataset.Name}"));
    Console.WriteLine($"Plot: {plot}");
    Console.WriteLine();
}

static string FindRepositoryRoot()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "MetaModel.sln")))
        {
            return folder.FullName;
        }
    }

    return Environment.CurrentDirectory;
}

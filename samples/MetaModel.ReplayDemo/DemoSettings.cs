using System.Globalization;
using MetaModel.Replay;

namespace MetaModel.ReplayDemo;

/// <summary>The demo's command line.</summary>
internal sealed class DemoSettings
{
    public string DataPath { get; private set; } = DefaultDataPath();

    public int Seed { get; private set; } = 42;

    public string OutputDirectory { get; private set; } = string.Empty;

    private bool OutputChosen { get; set; }

    public string? Error { get; private set; }

    public bool Evaluate { get; private set; }

    public bool HelpRequested { get; private set; }

    public static string UsageText => Usage();

    public double HoldOutFraction { get; private set; } = 0.3;

    /// <summary>Reads the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="outputFolder">The folder under the repository's <c>out</c> folder that results go to by default.</param>
    /// <param name="usage">The usage text shown with an error; <see langword="null"/> for this demo's.</param>
    /// <returns>The settings, with <see cref="Error"/> set when the command line is wrong.</returns>
    public static DemoSettings Parse(string[] args, string outputFolder = "replay", string? usage = null)
    {
        var settings = new DemoSettings();
        bool holdOutGiven = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int seed):
                    settings.Seed = seed;
                    i++;
                    break;
                case "evaluate" when i == 0:
                    settings.Evaluate = true;
                    break;
                case "--holdout" when i + 1 < args.Length &&
                    double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out double fraction) && fraction is > 0 and < 1:
                    settings.HoldOutFraction = fraction;
                    holdOutGiven = true;
                    i++;
                    break;
                case "--out" when i + 1 < args.Length:
                    settings.OutputDirectory = Path.GetFullPath(args[++i]);
                    settings.OutputChosen = true;
                    break;
                case "--seed" when i + 1 < args.Length:
                    settings.Error = $"--seed needs a whole number from {int.MinValue} to {int.MaxValue} " +
                        $"(was '{args[i + 1]}').{Environment.NewLine}{usage ?? Usage()}";
                    return settings;
                case "--holdout" when i + 1 < args.Length:
                    settings.Error = $"--holdout needs a fraction between 0 and 1, both excluded, such as 0.3 " +
                        $"(was '{args[i + 1]}').{Environment.NewLine}{usage ?? Usage()}";
                    return settings;
                case "--seed" or "--holdout" or "--out":
                    settings.Error = $"{args[i]} needs a value.{Environment.NewLine}{usage ?? Usage()}";
                    return settings;
                case "-h" or "--help":
                    settings.HelpRequested = true;
                    return settings;
                case string path when !path.StartsWith("--", StringComparison.Ordinal):
                    settings.DataPath = Path.GetFullPath(path);
                    break;
                default:
                    settings.Error = $"Unknown or incomplete option '{args[i]}'.{Environment.NewLine}{usage ?? Usage()}";
                    return settings;
            }
        }

        // The replay of every policy holds nothing out; only this demo's own usage has both modes.
        if (holdOutGiven && !settings.Evaluate && usage is null)
        {
            settings.Error = "--holdout applies to evaluate only (the replay of every policy uses all the data)." +
                $"{Environment.NewLine}{Usage()}";
            return settings;
        }

        if (!File.Exists(settings.DataPath) && !Directory.Exists(settings.DataPath))
        {
            settings.Error =
                $"No replay data at '{settings.DataPath}'.{Environment.NewLine}{ReplayDatasetLoader.AcceptedFormats}";
            return settings;
        }

        // Each data set gets its own output folder, so a run on other data does not replace earlier results.
        if (!settings.OutputChosen)
        {
            string name = Path.GetFileNameWithoutExtension(settings.DataPath.TrimEnd(Path.DirectorySeparatorChar));
            settings.OutputDirectory = Path.Combine(RepositoryRoot() ?? Environment.CurrentDirectory, "out", outputFolder, name);
        }

        Directory.CreateDirectory(settings.OutputDirectory);
        return settings;
    }

    private static string Usage() =>
        "usage: MetaModel.ReplayDemo [evaluate] [PATH] [--seed N] [--out DIR] [--holdout FRACTION]" + Environment.NewLine +
        "  evaluate  judge the bandit on held-out prompts and from a cold start instead of the replay of every policy" +
        Environment.NewLine +
        "  PATH  a folder or file of recorded outcomes (default: ../shared/data/routerbench next to the repository)" +
        Environment.NewLine + ReplayDatasetLoader.AcceptedFormats;

    private static string DefaultDataPath()
    {
        string root = RepositoryRoot() ?? Environment.CurrentDirectory;
        return Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "routerbench"));
    }

    /// <summary>Finds the folder of MetaModel.sln above the working directory or the program.</summary>
    /// <returns>The folder, or <see langword="null"/> when there is none.</returns>
    public static string? RepositoryRoot()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MetaModel.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}

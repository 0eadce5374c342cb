using MetaModel.Replay;

namespace MetaModel.ReplayDemo;

/// <summary>The start every replay program shares: help, argument errors, loading the data set and its summary.</summary>
internal static class DemoStartup
{
    /// <summary>
    /// Prints the usage for <c>--help</c>, reports an argument error, or loads the data set and prints what it holds.
    /// </summary>
    /// <param name="settings">The parsed arguments.</param>
    /// <param name="usage">The usage text to print for <c>--help</c>.</param>
    /// <param name="dataset">The loaded data set, when the program goes on.</param>
    /// <returns>
    /// <see langword="null"/> to go on; otherwise the exit code to stop with: 0 after the help, 2 for a bad argument
    /// or data that is missing or malformed (the message is on standard error).
    /// </returns>
    public static int? Load(DemoSettings settings, string usage, out ReplayDataset dataset)
    {
        dataset = null!;
        if (settings.HelpRequested)
        {
            Console.WriteLine(usage);
            return 0;
        }

        if (settings.Error is { } error)
        {
            Console.Error.WriteLine(error);
            return 2;
        }

        try
        {
            Console.WriteLine($"Loading {settings.DataPath} ...");
            dataset = ReplayDatasetLoader.Load(settings.DataPath);
        }
        catch (Exception ex) when (ex is ReplayDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        Console.WriteLine(
            $"{dataset.Prompts.Count:N0} prompts, {dataset.Models.Count} models, " +
            $"{dataset.Prompts.Select(p => p.Task).Distinct().Count()} tasks ({dataset.Format}); seed {settings.Seed}.");
        return null;
    }
}

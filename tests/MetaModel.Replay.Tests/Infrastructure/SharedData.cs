namespace MetaModel.Replay.Tests;

/// <summary>Finds the shared routing data: <c>../shared/data</c> relative to the folder that holds
/// MetaModel.sln.</summary>
internal static class SharedData
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string RouterBench => Path.Combine(Root, "routerbench");

    public static string LlmRouter => Path.Combine(Root, "llmrouter");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MetaModel.sln")))
            {
                var data = Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "data"));
                return Directory.Exists(data)
                    ? data
                    : throw new DirectoryNotFoundException($"The shared data folder '{data}' does not exist.");
            }
        }

        throw new DirectoryNotFoundException($"No folder above '{AppContext.BaseDirectory}' holds MetaModel.sln.");
    }
}

namespace MetaModel.Replay.Tests;

public sealed class ReplayDatasetLoaderTests : IDisposable
{
    private const string Questions = """[{ "question": "q", "scores": { "m": 1 }, "cluster_id": 1 }]""";
    private const string Prices = """{ "m": { "input_price": 1, "output_price": 2 } }""";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string RouterBenchCsv => Csv.File(
        Csv.Header,
        Csv.Row(0, "s-1", "['q']", "t", ("1", "['A']", "0.1"), ("0", "['B']", "0.2")));

    [Fact]
    public void Load_CsvFile_ReadsRouterBench()
    {
        var file = _temp.Write("x/bench.csv", RouterBenchCsv);

        ReplayDatasetLoader.DetectFormat(file).Should().Be(ReplayFormat.RouterBench);
        var dataset = ReplayDatasetLoader.Load(file);

        dataset.Format.Should().Be(ReplayFormat.RouterBench);
        dataset.Prompts.Should().ContainSingle();
    }

    [Fact]
    public void Load_FolderOfCsv_ReadsRouterBench()
    {
        _temp.Write("bench/one.csv", RouterBenchCsv);
        var folder = Path.Combine(_temp.Path, "bench");

        ReplayDatasetLoader.Load(folder).Format.Should().Be(ReplayFormat.RouterBench);
    }

    [Fact]
    public void Load_LlmRouterFolderOrQuestionFile_ReadsLlmRouter()
    {
        _temp.Write("llm/train.json", Questions);
        _temp.Write("llm/default_llm.json", Prices);
        var folder = Path.Combine(_temp.Path, "llm");

        var fromFolder = ReplayDatasetLoader.Load(folder);
        var fromFile = ReplayDatasetLoader.Load(Path.Combine(folder, "train.json"));

        fromFolder.Format.Should().Be(ReplayFormat.LlmRouter);
        fromFile.Format.Should().Be(ReplayFormat.LlmRouter);
        fromFolder.Prompts.Single().Outcomes["m"].CostIsEstimated.Should().BeTrue();
    }

    [Fact]
    public void Load_Options_ReachTheLlmRouterReader()
    {
        _temp.Write("llm/train.json", Questions);
        _temp.Write("llm/default_llm.json", Prices);

        var dataset = ReplayDatasetLoader.Load(
            Path.Combine(_temp.Path, "llm"),
            new LlmRouterReaderOptions { EstimatedOutputTokens = 7 });

        dataset.Prompts.Single().Outcomes["m"].OutputTokens.Should().Be(7);
    }

    [Fact]
    public void Load_MissingPath_NamesThePathAndBothFormats()
    {
        var path = Path.Combine(_temp.Path, "does-not-exist");

        var act = () => ReplayDatasetLoader.Load(path);

        var error = act.Should().Throw<FileNotFoundException>().Which;
        error.FileName.Should().Be(path);
        error.Message.Should().Contain(path).And.Contain("RouterBench").And.Contain("LLMRouter")
            .And.Contain(".csv").And.Contain("train.json").And.Contain("default_llm.json");
    }

    [Theory]
    [InlineData("empty", null)]
    [InlineData("text", "notes.txt")]
    [InlineData("json-alone", "train.json")]
    public void Load_FolderInNeitherFormat_NamesThePathAndBothFormats(string folderName, string? fileName)
    {
        var folder = _temp.CreateFolder(folderName);
        if (fileName is not null)
        {
            _temp.Write(Path.Combine(folderName, fileName), "[]");
        }

        var act = () => ReplayDatasetLoader.Load(folder);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.FilePath.Should().Be(folder);
        error.Message.Should().Contain(folder).And.Contain("RouterBench").And.Contain("LLMRouter");
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("data.json")]
    public void Load_FileInNeitherFormat_NamesThePathAndBothFormats(string fileName)
    {
        var file = _temp.Write(fileName, "[]");

        var act = () => ReplayDatasetLoader.Load(file);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.FilePath.Should().Be(file);
        error.Message.Should().Contain(file).And.Contain(ReplayDatasetLoader.AcceptedFormats);
    }

    [Fact]
    public void Load_FolderWithBothFormats_IsRefusedAsAmbiguous()
    {
        _temp.Write("both/train.json", Questions);
        _temp.Write("both/default_llm.json", Prices);
        _temp.Write("both/bench.csv", RouterBenchCsv);

        var act = () => ReplayDatasetLoader.Load(Path.Combine(_temp.Path, "both"));

        act.Should().Throw<ReplayDataException>().WithMessage("*both*");
    }
}

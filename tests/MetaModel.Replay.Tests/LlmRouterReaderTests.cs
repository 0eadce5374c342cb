namespace MetaModel.Replay.Tests;

public sealed class LlmRouterReaderTests : IDisposable
{
    private const string Prices = """
        {
          "cheap": {
            "size": "7B", "feature": "x", "input_price": 0.10, "output_price": 0.20, "model": "a/cheap", "service": "S" },
          "unused": { "input_price": 5, "output_price": 5 },
          "big": { "input_price": 0.9, "output_price": 1.2 }
        }
        """;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_Folder_ReadsScoresAndEstimatesCosts()
    {
        var folder = WriteData("""
            [
              { "question": "What is 2+2?", "scores": { "big": 1.0, "cheap": 0 }, "cluster_id": 3 },
              { "cluster_id": 0, "extra": [1, {"a": 2}], "scores": { "cheap": 0.6666666667, "big": null },
                "question": "Say \"hi\"\nin French \u00e9" }
            ]
            """);

        var dataset = LlmRouterReader.Read(folder);

        dataset.Name.Should().Be("data");
        dataset.Format.Should().Be(ReplayFormat.LlmRouter);
        dataset.Models.Select(m => m.Id).Should().Equal(["cheap", "big"], "models follow the price list, without unscored ones");
        dataset.Models[0].InputPricePerMillion.Should().Be(0.10m);
        dataset.Models[0].OutputPricePerMillion.Should().Be(0.20m);
        dataset.Prompts.Select(p => (p.SampleId, p.Task)).Should().Equal(("train-0", "cluster-3"), ("train-1", "cluster-0"));

        var second = dataset.Prompts[1];
        second.Text.Should().Be("Say \"hi\"\nin French é");
        second.Outcomes["cheap"].Score.Should().Be(0.6666666667);
        second.Outcomes["big"].Score.Should().BeNull();

        // 20 characters -> ceil(20 / 4) = 5 input tokens; 256 output tokens.
        var cheap = second.Outcomes["cheap"];
        cheap.InputTokens.Should().Be(5);
        cheap.OutputTokens.Should().Be(LlmRouterReaderOptions.DefaultEstimatedOutputTokens);
        cheap.CostUsd.Should().Be(((5 * 0.10m) + (256 * 0.20m)) / 1_000_000m);
        cheap.CostIsEstimated.Should().BeTrue();
        cheap.Response.Should().BeNull();

        // 12 characters -> 3 input tokens.
        dataset.Prompts[0].Outcomes["big"].CostUsd.Should().Be(((3 * 0.9m) + (256 * 1.2m)) / 1_000_000m);
    }

    [Fact]
    public void Read_Options_ChangeTheEstimate()
    {
        var folder = WriteData("""[{ "question": "abcdefg", "scores": { "cheap": 1 }, "cluster_id": 1 }]""");
        var options = new LlmRouterReaderOptions { EstimatedOutputTokens = 10, CharactersPerToken = 3 };

        var outcome = LlmRouterReader.Read(folder, options).Prompts.Single().Outcomes["cheap"];

        outcome.InputTokens.Should().Be(3);
        outcome.OutputTokens.Should().Be(10);
        outcome.CostUsd.Should().Be(((3 * 0.10m) + (10 * 0.20m)) / 1_000_000m);
    }

    [Fact]
    public void Options_RejectOutOfRangeValues()
    {
        var options = new LlmRouterReaderOptions();

        options.Invoking(o => o.EstimatedOutputTokens = -1).Should().Throw<ArgumentOutOfRangeException>();
        options.Invoking(o => o.CharactersPerToken = 0).Should().Throw<ArgumentOutOfRangeException>();
        options.EstimatedOutputTokens = 0;
        options.EstimatedOutputTokens.Should().Be(0);
    }

    [Fact]
    public void Read_QuestionFileOrPriceListPath_ReadsTheFilesBesideIt()
    {
        var folder = WriteData("""[{ "question": "q", "scores": { "cheap": 1 }, "cluster_id": 1 }]""");
        _temp.Write("data/other.json", """[{ "question": "o", "scores": { "big": 0 }, "cluster_id": 2 }]""");

        var viaQuestions = LlmRouterReader.Read(Path.Combine(folder, "train.json"));
        var viaPrices = LlmRouterReader.Read(Path.Combine(folder, "default_llm.json"));
        var other = LlmRouterReader.Read(Path.Combine(folder, "other.json"));

        viaQuestions.Prompts.Single().Text.Should().Be("q");
        viaPrices.Prompts.Single().Text.Should().Be("q");
        other.Name.Should().Be("other");
        other.Prompts.Single().SampleId.Should().Be("other-0");
        other.Models.Select(m => m.Id).Should().Equal("big");
    }

    [Theory]
    [InlineData(
        """[{ "question": "a", "scores": {"cheap": 1}, "cluster_id": 1 }, { "question": "b" "scores": {}, "cluster_id": 1 }]""",
        2,
        "in array element [1]")]
    [InlineData(
        """[{ "question": "a", "scores": {"cheap": 1}, "cluster_id": 1 } { "question": "b" }]""",
        1,
        "after array element [0]")]
    [InlineData("""[{ "question": "a", "scores": {"cheap": 1}, "cluster_id": 1 },""", 1, "after array element [0]")]
    [InlineData("""[{ "question": "a", "scores": {"cheap": 1,}, "cluster_id": 1 }]""", 1, "in array element [0]")]
    [InlineData("""[{ "question": "a", "scores": {"cheap": 1}, "cluster_id": 1 }] trailing""", 1, "after array element [0]")]
    public void Read_MalformedJson_NamesFileRowAndLine(
        string json,
        int row,
        string where)
    {
        var folder = WriteData(json.Replace("}, {", "},\n{", StringComparison.Ordinal));
        var file = Path.Combine(folder, "train.json");

        var act = () => LlmRouterReader.Read(folder);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.FilePath.Should().Be(file);
        error.Row.Should().Be(row);
        error.Line.Should().BeGreaterThan(0);
        error.Message.Should().Contain(file).And.Contain($"row {row}").And.Contain(where).And.Contain("Malformed JSON");
    }

    [Fact]
    public void Read_MalformedJson_ReportsTheLineOfTheError()
    {
        var folder = WriteData(
            "[\n  {\"question\": \"a\", \"scores\": {\"cheap\": 1}, \"cluster_id\": 1},\n  {\"question\": \"b\",\n   " +
            "\"scores\": {\"cheap\": tru}, \"cluster_id\": 1}\n]");

        var act = () => LlmRouterReader.Read(folder);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.Row.Should().Be(2);
        error.Line.Should().Be(4);
    }

    [Theory]
    [InlineData("""{"question": "a"}""", null, null)]
    [InlineData("""[["a"]]""", 1, null)]
    [InlineData("""[{ "scores": {"cheap": 1}, "cluster_id": 1 }]""", 1, "question")]
    [InlineData("""[{ "question": "", "scores": {"cheap": 1}, "cluster_id": 1 }]""", 1, "question")]
    [InlineData("""[{ "question": 5, "scores": {"cheap": 1}, "cluster_id": 1 }]""", 1, "question")]
    [InlineData("""[{ "question": "a", "cluster_id": 1 }]""", 1, "scores")]
    [InlineData("""[{ "question": "a", "scores": [1], "cluster_id": 1 }]""", 1, "scores")]
    [InlineData("""[{ "question": "a", "scores": {"cheap": 1} }]""", 1, "cluster_id")]
    [InlineData("""[{ "question": "a", "scores": {"cheap": 1}, "cluster_id": 1.5 }]""", 1, "cluster_id")]
    [InlineData("""[{ "question": "a", "scores": {"cheap": 1}, "cluster_id": "1" }]""", 1, "cluster_id")]
    [InlineData("""[{ "question": "a", "scores": {"cheap": "1"}, "cluster_id": 1 }]""", 1, "scores.cheap")]
    [InlineData("""[{ "question": "a", "scores": {"cheap": 1, "cheap": 0}, "cluster_id": 1 }]""", 1, "scores.cheap")]
    [InlineData(
        """[{ "question": "a", "scores": {"cheap": 1}, "cluster_id": 1 }, """ +
        """{ "question": "b", "scores": {"nobody": 1}, "cluster_id": 1 }]""",
        2,
        "scores.nobody")]
    public void Read_WrongShape_NamesRowAndProperty(
        string json,
        int? row,
        string? column)
    {
        var folder = WriteData(json);

        var act = () => LlmRouterReader.Read(folder);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.FilePath.Should().Be(Path.Combine(folder, "train.json"));
        error.Row.Should().Be(row);
        if (row is not null)
        {
            error.Column.Should().Be(column);
            error.Message.Should().Contain($"row {row}");
        }
    }

    [Theory]
    [InlineData("""{ "cheap": { "input_price": 0.1 } }""", "cheap.output_price")]
    [InlineData("""{ "cheap": { "input_price": "0.1", "output_price": 0.2 } }""", "cheap.input_price")]
    [InlineData("""{ "cheap": { "input_price": -1, "output_price": 0.2 } }""", "cheap.input_price")]
    [InlineData("""{ "cheap": 3 }""", "cheap")]
    [InlineData("""[]""", null)]
    [InlineData("""{ "cheap": { "input_price": 0.1, """, null)]
    public void Read_BadPriceList_NamesThePriceFile(string prices, string? column)
    {
        var folder = WriteData("""[{ "question": "q", "scores": { "cheap": 1 }, "cluster_id": 1 }]""", prices);

        var act = () => LlmRouterReader.Read(folder);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.FilePath.Should().Be(Path.Combine(folder, "default_llm.json"));
        error.Column.Should().Be(column);
    }

    [Fact]
    public void Read_APriceBeyondADecimal_IsNamedAsSuch_NotAsNegative()
    {
        var folder = WriteData(
            """[{ "question": "q", "scores": { "cheap": 1 }, "cluster_id": 1 }]""",
            """{ "cheap": { "input_price": 1e30, "output_price": 0.2 } }""");

        var act = () => LlmRouterReader.Read(folder);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.Column.Should().Be("cheap.input_price");
        error.Message.Should().Contain("1e30").And.Contain("beyond what a decimal holds").And.NotContain("non-negative");
    }

    [Theory]
    [InlineData("""[]""", "*holds no prompts*")]
    [InlineData("""[{ "question": "q", "scores": {}, "cluster_id": 1 }]""", "*no model has an outcome*")]
    public void Read_NoPromptsOrNoModels_IsRefusedNamingTheQuestionFile(string questions, string message)
    {
        // Both used to load as an empty data set, on which the replay demo failed with "Sequence contains no elements".
        var folder = WriteData(questions);

        var act = () => LlmRouterReader.Read(folder);

        var error = act.Should().Throw<ReplayDataException>().WithMessage(message).Which;
        error.FilePath.Should().Be(Path.Combine(folder, "train.json"));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("-0.5")]
    [InlineData("1.0000001")]
    public void Read_ScoreOutsideZeroToOne_IsRejectedNamingTheProperty(string score)
    {
        var folder = WriteData(
            "[{ \"question\": \"a\", \"scores\": {\"cheap\": 1}, \"cluster_id\": 1 },\n" +
            $"{{ \"question\": \"b\", \"scores\": {{\"cheap\": {score}}}, \"cluster_id\": 1 }}]");

        var act = () => LlmRouterReader.Read(folder);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.Row.Should().Be(2);
        error.Column.Should().Be("scores.cheap");
        error.Message.Should().Contain("from 0 to 1").And.Contain(score);
    }

    [Fact]
    public void Read_FolderWithoutPriceList_NamesTheMissingFile()
    {
        var folder = _temp.CreateFolder("data");
        _temp.Write("data/train.json", "[]");

        var act = () => LlmRouterReader.Read(folder);

        act.Should().Throw<ReplayDataException>().WithMessage("*default_llm.json*");
    }

    private string WriteData(string questions, string prices = Prices)
    {
        _temp.Write("data/train.json", questions);
        _temp.Write("data/default_llm.json", prices);
        return Path.Combine(_temp.Path, "data");
    }
}

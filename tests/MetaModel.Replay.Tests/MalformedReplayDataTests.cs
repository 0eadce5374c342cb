namespace MetaModel.Replay.Tests;

/// <summary>Malformed replay files that once escaped as framework exceptions which named no file, row or column.</summary>
public sealed class MalformedReplayDataTests : IDisposable
{
    private const string Questions = """[{ "question": "q", "scores": { "m": 1 }, "cluster_id": 1 }]""";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void LlmRouter_ModelListedTwiceInThePriceList_NamesTheModel()
    {
        var folder = WriteLlmRouter(
            Questions,
            """{ "m": { "input_price": 1, "output_price": 2 }, "m": { "input_price": 3, "output_price": 4 } }""");

        var act = () => LlmRouterReader.Read(folder);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.FilePath.Should().EndWith(LlmRouterReader.PriceListFileName);
        error.Column.Should().Be("m");
        error.Message.Should().Contain("more than once");
    }

    [Fact]
    public void LlmRouter_ModelWithAnEmptyNameInThePriceList_IsAReplayDataError()
    {
        var folder = WriteLlmRouter(Questions, """{ "": { "input_price": 1, "output_price": 2 } }""");

        var act = () => LlmRouterReader.Read(folder);

        act.Should().Throw<ReplayDataException>().WithMessage("*no name*")
            .Which.FilePath.Should().EndWith(LlmRouterReader.PriceListFileName);
    }

    [Fact]
    public void LlmRouter_PriceListWithAByteOrderMark_IsReadLikeTheQuestionFile()
    {
        var folder = WriteLlmRouter("\uFEFF" + Questions, "\uFEFF" + """{ "m": { "input_price": 1, "output_price": 2 } }""");

        var dataset = LlmRouterReader.Read(folder);

        dataset.Models.Single().InputPricePerMillion.Should().Be(1m);
        dataset.Prompts.Should().ContainSingle();
    }

    [Fact]
    public void LlmRouter_PricesWhoseEstimateOverflows_NameTheRowAndModel()
    {
        var folder = WriteLlmRouter(
            """
            [{ "question": "short", "scores": { "m": 1 }, "cluster_id": 1 },
             { "question": "a much longer question", "scores": { "m": 1 }, "cluster_id": 1 }]
            """,
            """{ "m": { "input_price": 7.9e28, "output_price": 0 } }""");

        var act = () => LlmRouterReader.Read(folder, new LlmRouterReaderOptions { EstimatedOutputTokens = 0 });

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.Row.Should().Be(1);
        error.Column.Should().Be("scores.m");
        error.Message.Should().Contain("too large");
    }

    [Theory]
    [InlineData("question", """{ "question": "q", "scores": { "m": 1 }, "cluster_id": 1, "question": "other" }""")]
    [InlineData("scores", """{ "question": "q", "scores": { "m": 1 }, "scores": { "m": 0 }, "cluster_id": 1 }""")]
    [InlineData("cluster_id", """{ "cluster_id": 2, "question": "q", "scores": { "m": 1 }, "cluster_id": 1 }""")]
    public void LlmRouter_PropertyRepeatedInAnElement_IsNamed_RatherThanTheLastSilentlyWinning(string property, string element)
    {
        var folder = WriteLlmRouter(
            $"[{Questions[1..^1]},\n{element}]",
            """{ "m": { "input_price": 1, "output_price": 2 } }""");

        var act = () => LlmRouterReader.Read(folder);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.Row.Should().Be(2);
        error.Line.Should().Be(2);
        error.Column.Should().Be(property);
        error.Message.Should().Contain("more than once");
    }

    [Theory]
    [InlineData("|total_cost")]
    [InlineData(" |model_response")]
    public void RouterBench_PerModelColumnWithoutAModelName_NamesTheHeaderColumn(string column)
    {
        var file = _temp.Write(
            "bench.csv",
            Csv.File($"sample_id,eval_name,prompt,m,m|total_cost,{column}", "s1,t,q,0.5,0.1,0.2"));

        var act = () => RouterBenchReader.Read(file);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.FilePath.Should().Be(file);
        error.Line.Should().Be(1);
        error.Message.Should().Contain("Header column 6").And.Contain("no model name");
    }

    private string WriteLlmRouter(string questions, string prices)
    {
        _temp.Write("data/train.json", questions);
        _temp.Write("data/default_llm.json", prices);
        return Path.Combine(_temp.Path, "data");
    }
}

namespace MetaModel.Replay.Tests;

public sealed class RouterBenchReaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_File_DecodesPromptsOutcomesAndModelsFromTheHeader()
    {
        var prompt = """['First part\nwith a line', "It's \"quoted\"", 'tab\there \\ back, and a comma']""";
        var file = _temp.Write("bench.csv", Csv.File(
            Csv.Header,
            Csv.Row(7, "s-1", prompt, "task-x", ("1.0", "['A\\n']", "0.0015"), ("0.0", "['B']", "2.5e-05")),
            Csv.Row(
                8,
                "s-2",
                "Plain prompt\nspanning lines, with \"quotes\"",
                "task-y",
                ("", "['C']", "0.002"),
                ("1", "", "0"))));

        var dataset = RouterBenchReader.Read(file);

        dataset.Name.Should().Be("bench");
        dataset.SourcePath.Should().Be(file);
        dataset.Format.Should().Be(ReplayFormat.RouterBench);
        dataset.Models.Select(m => m.Id).Should().Equal("model-a", "org/model-b");
        dataset.Models.Should().OnlyContain(m => m.InputPricePerMillion == null && m.OutputPricePerMillion == null);
        dataset.Prompts.Should().HaveCount(2);

        var first = dataset.Prompts[0];
        first.SampleId.Should().Be("s-1");
        first.Task.Should().Be("task-x");
        first.Text.Should().Be("First part\nwith a line\n\nIt's \"quoted\"\n\ntab\there \\ back, and a comma");
        first.Outcomes["model-a"].Should().BeEquivalentTo(new { Score = 1.0, CostUsd = 0.0015m, Response = "A\n" });
        first.Outcomes["org/model-b"].Should().BeEquivalentTo(new { Score = 0.0, CostUsd = 0.000025m, Response = "B" });
        first.Outcomes.Values.Should().OnlyContain(o => !o.CostIsEstimated && o.InputTokens == null && o.OutputTokens == null);

        var second = dataset.Prompts[1];
        second.Text.Should().Be("Plain prompt\nspanning lines, with \"quotes\"");
        second.Outcomes["model-a"].Score.Should().BeNull();
        second.Outcomes["model-a"].Response.Should().Be("C");
        second.Outcomes["org/model-b"].Score.Should().Be(1);
        second.Outcomes["org/model-b"].Response.Should().BeNull();
        second.Outcomes["org/model-b"].CostUsd.Should().Be(0m);
    }

    [Fact]
    public void Read_ModelWithAllCellsEmpty_HasNoOutcomeForThatPrompt()
    {
        var file = _temp.Write("bench.csv", Csv.File(
            Csv.Header,
            Csv.Row(0, "s-1", "['q']", "t", ("1", "['A']", "0.1"), ("", "", ""))));

        var prompt = RouterBenchReader.Read(file).Prompts.Single();

        prompt.Outcomes.Keys.Should().Equal("model-a");
    }

    [Fact]
    public void Read_HeaderWithoutScoreOrResponseColumns_GivesNullScoresAndResponses()
    {
        var file = _temp.Write("bench.csv", Csv.File(
            "sample_id,eval_name,prompt,m|total_cost",
            Csv.Line("s-1", "t", "q", "0.5")));

        var outcome = RouterBenchReader.Read(file).Prompts.Single().Outcomes["m"];

        outcome.Score.Should().BeNull();
        outcome.Response.Should().BeNull();
        outcome.CostUsd.Should().Be(0.5m);
    }

    [Fact]
    public void Read_CrLfLineEndingsAndByteOrderMark_AreAccepted()
    {
        var text = "\uFEFF" + Csv.File(
            Csv.Header,
            Csv.Row(0, "s-1", "['a']", "t", ("1", "two\nlines", "0.1"), ("0", "['b']", "0.2")))
            .Replace("\n", "\r\n", StringComparison.Ordinal);
        var file = _temp.Write("bench.csv", text);

        var dataset = RouterBenchReader.Read(file);

        dataset.Prompts.Single().Outcomes["model-a"].Response.Should().Be("two\r\nlines");
    }

    [Fact]
    public void Read_Folder_ReadsEveryCsvInNameOrderAndNamesRepeatedSampleIds()
    {
        var folder = _temp.CreateFolder("bench");
        _temp.Write(
            "bench/b.csv",
            Csv.File(Csv.Header, Csv.Row(0, "dup", "['from b']", "tb", ("1", "['x']", "0.1"), ("1", "['y']", "0.2"))));
        _temp.Write("bench/a.CSV", Csv.File(
            Csv.Header,
            Csv.Row(0, "dup", "['from a, first']", "ta", ("0", "['x']", "0.1"), ("1", "['y']", "0.2")),
            Csv.Row(1, "dup", "['from a, second']", "ta", ("0", "['x']", "0.1"), ("1", "['y']", "0.2"))));
        _temp.Write("bench/notes.txt", "not data");

        var dataset = RouterBenchReader.Read(folder);

        dataset.Name.Should().Be("bench");
        dataset.Prompts.Select(p => (p.SampleId, p.Text)).Should().Equal(
            ("dup", "from a, first"),
            ("dup#2", "from a, second"),
            ("dup#3", "from b"));
    }

    [Fact]
    public void Read_NonNumericScore_NamesFileRowAndColumn()
    {
        var file = _temp.Write("bench.csv", Csv.File(
            Csv.Header,
            Csv.Row(0, "s-1", "['multi\nline\nprompt']", "t", ("1", "['A']", "0.1"), ("0", "['B']", "0.2")),
            Csv.Row(1, "s-2", "['q']", "t", ("1", "['A']", "0.1"), ("right", "['B']", "0.2"))));

        var act = () => RouterBenchReader.Read(file);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.FilePath.Should().Be(file);
        error.Row.Should().Be(2);
        error.Column.Should().Be("org/model-b");
        error.Line.Should().Be(5, "the first record spans lines 2 to 4");
        error.Message.Should().Contain(file).And.Contain("row 2").And.Contain("'org/model-b'").And.Contain("'right'");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-0.1")]
    [InlineData("")]
    public void Read_BadCost_NamesTheCostColumn(string cost)
    {
        var file = _temp.Write("bench.csv", Csv.File(
            Csv.Header,
            Csv.Row(0, "s-1", "['q']", "t", ("1", "['A']", "0.1"), ("0", "['B']", cost))));

        var act = () => RouterBenchReader.Read(file);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.Row.Should().Be(1);
        error.Column.Should().Be("org/model-b|total_cost");
        error.Message.Should().Contain("row 1").And.Contain("org/model-b|total_cost");
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-1")]
    [InlineData("7")]
    public void Read_ScoreOutsideZeroToOne_IsRejectedNamingTheCell(string score)
    {
        // Scores are answer qualities from 0 to 1: a replay reports their mean as accuracy and sends them as quality
        // feedback, which must lie in [0, 1]; another scale used to give an accuracy above 100 % and clipped feedback.
        var file = _temp.Write("bench.csv", Csv.File(
            Csv.Header,
            Csv.Row(0, "s-1", "['q']", "t", ("1", "['A']", "0.1"), ("0", "['B']", "0.2")),
            Csv.Row(1, "s-2", "['q2']", "t", (score, "['A']", "0.1"), ("0", "['B']", "0.2"))));

        var act = () => RouterBenchReader.Read(file);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.Row.Should().Be(2);
        error.Column.Should().Be("model-a");
        error.Message.Should().Contain($"'{score}'").And.Contain("from 0 to 1");
    }

    [Theory]
    [InlineData("")]
    [InlineData("['']")]
    [InlineData("[' ', '']")]
    public void Read_EmptyPrompt_IsRejectedNamingTheCell(string prompt)
    {
        // An LLMRouter file refuses an empty question; a RouterBench file accepted an empty prompt, even as a list.
        var file = _temp.Write("bench.csv", Csv.File(
            Csv.Header,
            Csv.Row(0, "s-1", "['q']", "t", ("1", "['A']", "0.1"), ("0", "['B']", "0.2")),
            Csv.Row(1, "s-2", prompt, "t", ("1", "['A']", "0.1"), ("0", "['B']", "0.2"))));

        var act = () => RouterBenchReader.Read(file);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.Row.Should().Be(2);
        error.Column.Should().Be("prompt");
        error.Message.Should().Contain("The prompt is empty");
    }

    [Fact]
    public void Read_HeaderWithoutRows_IsRefusedAsHoldingNoPrompts()
    {
        var file = _temp.Write("bench.csv", Csv.File(Csv.Header));

        var act = () => RouterBenchReader.Read(file);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.FilePath.Should().Be(file);
        error.Message.Should().Contain("no prompts");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1,0")]
    public void Read_NonFiniteOrLocalizedScore_IsRejected(string score)
    {
        var file = _temp.Write("bench.csv", Csv.File(
            Csv.Header,
            Csv.Row(0, "s-1", "['q']", "t", (score, "['A']", "0.1"), ("0", "['B']", "0.2"))));

        var act = () => RouterBenchReader.Read(file);

        act.Should().Throw<ReplayDataException>().Which.Column.Should().Be("model-a");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void Read_RowWithWrongNumberOfFields_NamesFileAndRow(int extraFields)
    {
        var good = Csv.Row(0, "s-1", "['q']", "t", ("1", "['A']", "0.1"), ("0", "['B']", "0.2"));
        var bad = extraFields < 0 ? good[..good.LastIndexOf(',')] : good + ",extra";
        var file =
            _temp.Write("bench.csv", Csv.File(Csv.Header, good, good.Replace("s-1", "s-2", StringComparison.Ordinal), bad));

        var act = () => RouterBenchReader.Read(file);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.FilePath.Should().Be(file);
        error.Row.Should().Be(3);
        error.Message.Should().Contain(file).And.Contain("row 3").And.Contain("fields");
    }

    [Theory]
    [InlineData("0,s-1,\"unclosed,t,1,0,a,b,0.1,0.2,m")]
    [InlineData("0,s-1,ab\"c,t,1,0,a,b,0.1,0.2,m")]
    [InlineData("0,s-1,\"ab\"c,t,1,0,a,b,0.1,0.2,m")]
    public void Read_MalformedQuoting_NamesFileAndRow(string badLine)
    {
        var good = Csv.Row(0, "s-0", "['q']", "t", ("1", "['A']", "0.1"), ("0", "['B']", "0.2"));
        var file = _temp.Write("bench.csv", Csv.File(Csv.Header, good, badLine));

        var act = () => RouterBenchReader.Read(file);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.Row.Should().Be(2);
        error.Message.Should().Contain(file).And.Contain("row 2").And.Contain("Malformed CSV");
    }

    [Theory]
    [InlineData("sample_id,prompt,m,m|total_cost", "eval_name")]
    [InlineData("eval_name,prompt,m,m|total_cost", "sample_id")]
    [InlineData("sample_id,eval_name,m,m|total_cost", "prompt")]
    [InlineData("sample_id,eval_name,prompt,m,m|model_response", "m|total_cost")]
    public void Read_MissingRequiredColumn_NamesTheColumn(string header, string missing)
    {
        var file = _temp.Write("bench.csv", header + "\n");

        var act = () => RouterBenchReader.Read(file);

        var error = act.Should().Throw<ReplayDataException>().Which;
        error.Column.Should().Be(missing);
        error.Row.Should().BeNull();
        error.Message.Should().Contain(file).And.Contain($"'{missing}'");
    }

    [Theory]
    [InlineData("sample_id,eval_name,prompt,oracle_model_to_route_to")]
    [InlineData("sample_id,eval_name,prompt,m,m,m|total_cost")]
    [InlineData("sample_id,eval_name,,prompt,m|total_cost")]
    [InlineData("")]
    public void Read_UnusableHeader_Throws(string header)
    {
        var file = _temp.Write("bench.csv", header);

        var act = () => RouterBenchReader.Read(file);

        act.Should().Throw<ReplayDataException>().Which.FilePath.Should().Be(file);
    }

    [Theory]
    [InlineData("sample_id")]
    [InlineData("eval_name")]
    public void Read_EmptyIdOrTask_NamesTheColumn(string column)
    {
        var sampleId = column == "sample_id" ? "" : "s-1";
        var task = column == "eval_name" ? " " : "t";
        var file = _temp.Write("bench.csv", Csv.File(
            Csv.Header,
            Csv.Row(0, sampleId, "['q']", task, ("1", "['A']", "0.1"), ("0", "['B']", "0.2"))));

        var act = () => RouterBenchReader.Read(file);

        act.Should().Throw<ReplayDataException>().Which.Column.Should().Be(column);
    }

    [Fact]
    public void Read_ErrorInSecondFile_ReturnsNoDataset()
    {
        var folder = _temp.CreateFolder("bench");
        _temp.Write(
            "bench/a.csv",
            Csv.File(Csv.Header, Csv.Row(0, "s-1", "['q']", "t", ("1", "['A']", "0.1"), ("0", "['B']", "0.2"))));
        var bad = _temp.Write(
            "bench/b.csv",
            Csv.File(Csv.Header, Csv.Row(0, "s-2", "['q']", "t", ("x", "['A']", "0.1"), ("0", "['B']", "0.2"))));

        var act = () => RouterBenchReader.Read(folder);

        act.Should().Throw<ReplayDataException>().Which.FilePath.Should().Be(bad);
    }

    [Fact]
    public void Read_FolderWithoutCsv_Throws()
    {
        var folder = _temp.CreateFolder("empty");

        var act = () => RouterBenchReader.Read(folder);

        act.Should().Throw<ReplayDataException>().Which.FilePath.Should().Be(folder);
    }

    [Fact]
    public void Read_MissingPath_ThrowsFileNotFound()
    {
        var path = Path.Combine(_temp.Path, "nope.csv");

        var act = () => RouterBenchReader.Read(path);

        act.Should().Throw<FileNotFoundException>().Which.FileName.Should().Be(path);
    }
}

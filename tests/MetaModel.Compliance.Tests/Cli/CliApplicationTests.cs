using System.Text;
using MetaModel.Cli;
using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Sqlite;
using MetaModel.Compliance.Tests.Fakes;
using MetaModel.Compliance.Tests.PostgreSql;
using Microsoft.Data.Sqlite;

namespace MetaModel.Compliance.Tests.Cli;

public sealed class CliApplicationTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Verify_IntactLog_ExitsZeroAndExportsTheHead()
    {
        string path = await LogAsync();
        string head = _files.File("head.json");

        (int code, string output, _) = await RunAsync("verify", "--sqlite", path, "--export-head", head);

        code.Should().Be(ExitCodes.Success);
        output.Should().Contain("stream cli:").And.Contain("intact");
        Compliance.Chain.ChainHead.Parse(await File.ReadAllTextAsync(head)).Stream.Should().Be("cli");

        (int again, _, _) = await RunAsync("verify", "--sqlite", path, "--anchor", head);
        again.Should().Be(ExitCodes.Success);
    }

    [Fact]
    public async Task Verify_AStreamTheLogLacks_IsNamedWithTheStreamsThereAre_NotReportedAsTampering()
    {
        string path = await LogAsync();

        (int code, string output, _) = await RunAsync("verify", "--sqlite", path, "--stream", "cIi");

        code.Should().Be(ExitCodes.NothingFound);
        output.Should().Contain("no stream 'cIi'").And.Contain("Its streams: cli.").And.NotContain("BROKEN");
    }

    [Fact]
    public async Task Verify_AnAnchoredStreamThatIsGone_IsABrokenChain()
    {
        string path = await LogAsync();
        string head = _files.File("head.json");
        (int exported, _, _) = await RunAsync("verify", "--sqlite", path, "--export-head", head);
        exported.Should().Be(ExitCodes.Success);
        Execute(path, "DELETE FROM entries");

        (int code, string output, _) = await RunAsync("verify", "--sqlite", path, "--stream", "cli", "--anchor", head);

        code.Should().Be(ExitCodes.ChainBroken);
        output.Should().Contain("BROKEN");
    }

    [Fact]
    public async Task Verify_EditedEntry_ExitsOneAndNamesTheSequence()
    {
        string path = await LogAsync();
        Execute(path, "UPDATE entries SET payload = CAST('{}' AS BLOB) WHERE seq = 3");

        (int code, string output, _) = await RunAsync("verify", "--sqlite", path);

        code.Should().Be(ExitCodes.ChainBroken);
        output.Should().Contain("BROKEN").And.Contain("sequence 3: Edited");
    }

    [Theory]
    [InlineData("UPDATE entries SET payload = replace(payload, '0', '1') WHERE seq = 3")]
    [InlineData("UPDATE entries SET payload = 42 WHERE seq = 3")]
    [InlineData("UPDATE entries SET hash = 'not a hash' WHERE seq = 3")]
    [InlineData("UPDATE entries SET time = 9223372036854775807 WHERE seq = 3")]
    [InlineData("UPDATE entries SET time = -9223372036854775808 WHERE seq = 3")]
    [InlineData("UPDATE entries SET time = time + 0.4 WHERE seq = 3")]
    [InlineData("UPDATE entries SET kind = 99999999999 WHERE seq = 3")]
    [InlineData("UPDATE entries SET kind = kind + 0.4 WHERE seq = 3")]
    [InlineData("UPDATE entries SET seq = 3.4 WHERE seq = 3")]
    public async Task Verify_EntryEditedWithADifferentColumnType_ExitsOneAndNamesTheSequence(string edit)
    {
        // replace() on a BLOB returns text: SQLite then stores the edited payload as text, not as a BLOB.
        string path = await LogAsync();
        Execute(path, edit);

        (int code, string output, string error) = await RunAsync("verify", "--sqlite", path);
        (int energyCode, _, string energyError) = await RunAsync("energy", "--sqlite", path);

        code.Should().Be(ExitCodes.ChainBroken, error);
        output.Should().Contain("BROKEN").And.Contain("sequence 3: Edited");
        energyCode.Should().BeOneOf([ExitCodes.Success, ExitCodes.ChainBroken], energyError);
        if (energyCode == ExitCodes.ChainBroken)
        {
            energyError.Should().Contain("Entry 3 of stream 'cli'").And.Contain("edited");
        }
    }

    [Theory]
    [InlineData("UPDATE streams SET head_seq = head_seq + 0.4", "HeadMismatch")]
    [InlineData("UPDATE streams SET checkpoint_seq = 0.4", "CheckpointMismatch")]
    public async Task Verify_StreamRecordWithAFractionalSequence_IsBroken(string edit, string problem)
    {
        // SQLite keeps the fraction, which a whole-number read would drop: the record is not what the writer wrote.
        string path = await LogAsync();
        Execute(path, edit);

        (int code, string output, string error) = await RunAsync("verify", "--sqlite", path);

        code.Should().Be(ExitCodes.ChainBroken, error);
        output.Should().Contain("BROKEN").And.Contain(problem);
    }

    [Theory]
    [InlineData(
        "INSERT INTO checkpoints (stream, seq, hash, time, deleted_count, applied_at) " +
        "VALUES ('cli', 5, zeroblob(32), 0, 5, 0)",
        "sequence 5: CheckpointMismatch: The checkpoint history of stream 'cli' has a row for checkpoint 5")]
    [InlineData("UPDATE streams SET head_time = head_time + 1", ": HeadMismatch: The store's head time for entry")]
    public async Task Verify_ForgedCheckpointOrEditedHeadTime_ExitsOneAndSaysWhat(string edit, string problem)
    {
        string path = await LogAsync();
        Execute(path, edit);

        (int code, string output, string error) = await RunAsync("verify", "--sqlite", path);

        code.Should().Be(ExitCodes.ChainBroken, error);
        output.Should().Contain("stream cli:").And.Contain("BROKEN").And.Contain(problem);
    }

    [Theory]
    [InlineData("UPDATE streams SET head_time = 9223372036854775807")]
    [InlineData("UPDATE streams SET checkpoint_time = -9223372036854775808")]
    public async Task VerifyEnergyAndCost_StreamRecordWithATimeOutOfRange_DoNotFail(string edit)
    {
        string path = await LogAsync();
        Execute(path, edit);

        foreach (string command in new[] { "verify", "energy", "cost" })
        {
            (int code, string output, string error) = await RunAsync(command, "--sqlite", path);

            code.Should().BeOneOf([ExitCodes.Success, ExitCodes.ChainBroken], $"{command}: {error}");
            error.Should().BeEmpty(command);
            output.Should().NotBeEmpty(command);
        }
    }

    [Fact]
    public async Task Verify_AStreamWhoseRecordWasDeleted_IsBrokenAndItsEntriesAreStillChecked()
    {
        string path = await LogAsync();
        Execute(path, "DELETE FROM streams");
        Execute(path, "UPDATE entries SET payload = CAST('{}' AS BLOB) WHERE seq = 3");

        (int code, string output, _) = await RunAsync("verify", "--sqlite", path);

        code.Should().Be(ExitCodes.ChainBroken);
        output.Should().Contain("stream cli:").And.Contain("BROKEN").And.Contain("no record of stream 'cli'")
            .And.Contain("sequence 3: Edited");
    }

    [Fact]
    public async Task Verify_WithAnAnchor_WhenTheWholeStreamIsGone_IsBroken()
    {
        string path = await LogAsync();
        string head = _files.File("head.json");
        (int exported, _, _) = await RunAsync("verify", "--sqlite", path, "--export-head", head);
        exported.Should().Be(ExitCodes.Success);
        Execute(path, "DELETE FROM entries; DELETE FROM streams; DELETE FROM checkpoints");

        (int code, string output, _) = await RunAsync("verify", "--sqlite", path, "--anchor", head);

        code.Should().Be(ExitCodes.ChainBroken);
        output.Should().Contain("BROKEN").And.NotContain("nothing to verify");
    }

    [Fact]
    public async Task Verify_MissingFile_ExitsThreeWithThePath()
    {
        string path = _files.File("nowhere.db");

        (int code, _, string error) = await RunAsync("verify", "--sqlite", path);

        code.Should().Be(ExitCodes.StoreUnavailable);
        error.Should().Contain("does not exist").And.Contain("nowhere.db");
        File.Exists(path).Should().BeFalse("verifying never creates a log");
    }

    [Fact]
    public async Task Verify_WhileAWriterHoldsTheLock_ReadsWithoutWaitingAndChangesNothing()
    {
        string path = await LogAsync();
        using var writer = new SqliteConnection($"Data Source={path};Pooling=False");
        writer.Open();
        using SqliteTransaction held = writer.BeginTransaction(deferred: false);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        (int code, string output, string error) = await RunAsync("verify", "--sqlite", path);

        code.Should().Be(ExitCodes.Success, error);
        output.Should().Contain("intact");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "a verifier takes no write lock");
    }

    [Fact]
    public async Task Verify_ExportHeadToMissingFolder_ExitsTwoNamingThePath()
    {
        string path = await LogAsync();
        string head = Path.Combine(_files.File("no-such-folder"), "head.json");

        (int code, _, string error) = await RunAsync("verify", "--sqlite", path, "--export-head", head);

        code.Should().Be(ExitCodes.Usage);
        error.Should().Contain("--export-head cannot write").And.Contain("no-such-folder");
    }

    [Fact]
    public async Task Verify_WrongSchemaVersion_ExitsFour()
    {
        string path = await LogAsync();
        Execute(path, "UPDATE schema_version SET version = 7");

        (int code, _, string error) = await RunAsync("verify", "--sqlite", path);

        code.Should().Be(ExitCodes.WrongSchema);
        error.Should().Contain("schema version 7");
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("verify", "--sqlite")]
    [InlineData("verify", "--bogus", "1")]
    [InlineData("energy", "--sqlite", "x.db", "--by", "planet")]
    [InlineData("verify")]
    [InlineData("cost", "--sqlite", "x.db", "--from", "2026-03-02", "--until", "2026-03-01")]
    [InlineData("energy", "--sqlite", "x.db", "--from", "2026-03-01", "--until", "2026-03-01")]
    public async Task BadCommandLine_ExitsTwoWithUsage(params string[] args)
    {
        (int code, _, string error) = await RunAsync(args);

        code.Should().Be(ExitCodes.Usage);
        error.Should().Contain("error:").And.Contain("Usage: metamodel");
    }

    [Fact]
    public async Task Passport_FromLog_PrintsMarkdownAndJson()
    {
        string path = await LogAsync();

        (int code, string markdown, _) = await RunAsync("passport", "--sqlite", path);
        (int jsonCode, string json, _) = await RunAsync("passport", "--sqlite", path, "--format", "json");

        code.Should().Be(ExitCodes.Success);
        markdown.Should().Contain("# System passport").And.Contain("EU AI Act").And.Contain("### Govern");
        jsonCode.Should().Be(ExitCodes.Success);
        json.Should().Contain("\"fingerprint\"");
    }

    [Fact]
    public async Task Passport_LogWithoutPassport_ExitsFive()
    {
        string path = _files.File("bare.db");
        await using (SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(path))
        {
            _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(2));
        }

        (int code, _, string error) = await RunAsync("passport", "--sqlite", path);

        code.Should().Be(ExitCodes.NothingFound);
        error.Should().Contain("no passport");
    }

    [Fact]
    public async Task Passport_FromConfiguration_DescribesTheConfiguredCandidates()
    {
        string config = _files.File("appsettings.json");
        await File.WriteAllTextAsync(config, """
            {
              "MetaModel": {
                "Name": "support",
                "Policy": { "Name": "ordered" },
                "Candidates": [
                  { "Id": "small", "InputPricePerMillion": 0.15, "OutputPricePerMillion": 0.6,
                    "Tags": { "provider": "openai", "region": "eu" },
                    "Energy": {
                      "WattHoursPerThousandInputTokens": 0.01,
                      "WattHoursPerThousandOutputTokens": 0.05,
                      "Source": "test" } },
                  { "Id": "large", "InputPricePerMillion": 2.5, "OutputPricePerMillion": 10 }
                ]
              },
              "Declaration": {
                "IntendedUse": "Drafting replies",
                "RiskClass": "limited",
                "StandardsApplied": [ "ISO/IEC 42001:2023" ] }
            }
            """);

        (int code, string output, string error) = await RunAsync("passport", "--config", config);

        code.Should().Be(ExitCodes.Success, error);
        output.Should().Contain("| small | openai |").And.Contain("| large |").And.Contain("Drafting replies")
            .And.Contain("ISO/IEC 42001:2023");
    }

    [Fact]
    public async Task EnergyAndCost_PrintTablesByCandidateAndDay()
    {
        string path = await LogAsync();

        (int energyCode, string energy, _) =
            await RunAsync("energy", "--sqlite", path, "--by", "candidate,day", "--grid-intensity", "100");
        (int costCode, string cost, _) = await RunAsync("cost", "--sqlite", path, "--by", "tenant");

        energyCode.Should().Be(ExitCodes.Success);
        energy.Should().Contain("| Candidate | Day |").And.Contain("| A | 2026-03-01 | 4 |").And.Contain("100 gCO2e/kWh");
        costCode.Should().Be(ExitCodes.Success);
        cost.Should().Contain("| Tenant |").And.Contain("| 2 | 0 | 0 | 200 | 100 | 0.002 | 0 |");

        // The last column counts requests; headed "Estimated cost" it read like an amount of money.
        cost.Should().Contain("| Cost (USD) | Requests with estimated cost |").And.NotContain("| Estimated cost |");
    }

    [Theory]
    [InlineData("cost")]
    [InlineData("energy")]
    public async Task EnergyAndCost_AStreamTheLogLacks_IsNamedWithTheStreamsThereAre_LikeVerify(string command)
    {
        string path = await LogAsync();

        (int code, string output, _) = await RunAsync(command, "--sqlite", path, "--stream", "clii");

        code.Should().Be(ExitCodes.NothingFound);
        output.Should().Contain("The log has no stream 'clii'. Its streams: cli.").And.NotContain("| Candidate |");
    }

    [Theory]
    [InlineData("cost")]
    [InlineData("energy")]
    public async Task EnergyAndCost_SeveralStreams_SayAboveTheTableThatTheySumThem_OrReportTheOneNamed(string command)
    {
        string path = await LogAsync();
        _ = await LogAsync("other");

        (int code, string output, _) = await RunAsync(command, "--sqlite", path);
        (int oneCode, string one, _) = await RunAsync(command, "--sqlite", path, "--stream", "other");
        (int singleCode, string single, _) = await RunAsync(command, "--sqlite", await LogAsync("only", "only.db"));

        code.Should().Be(ExitCodes.Success);
        output.Should().StartWith("Sums 2 streams: cli, other. Use --stream NAME for one of them.")
            .And.Contain("| A | 8 |");
        oneCode.Should().Be(ExitCodes.Success);
        one.Should().NotContain("Sums").And.Contain("| A | 4 |");
        singleCode.Should().Be(ExitCodes.Success);
        single.Should().NotContain("Sums").And.Contain("| A | 4 |");
    }

    [Fact]
    public async Task Help_DocumentsTheStreamOptionOfEnergyAndCost()
    {
        (int code, string output, _) = await RunAsync("--help");

        code.Should().Be(ExitCodes.Success);
        output.Should().Contain("energy and cost add up every stream of the log (and say so), or only --stream NAME");
    }

    [Fact]
    public async Task PostgreSql_VerifyIntactLog_ExitsZero()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();
        await using (var store = Compliance.PostgreSql.PostgreSqlComplianceLogStore.Open(
            db.ConnectionString,
            new() { Schema = db.Schema }))
        {
            _ = await store.AppendAsync("pg", Chain.ChainVerifierTests.Pending(10));
        }

        (int code, string output, string error) =
            await RunAsync("verify", "--postgres", db.ConnectionString, "--schema", db.Schema);

        code.Should().Be(ExitCodes.Success, error);
        output.Should().Contain("stream pg: 10 entries");
    }

    [Fact]
    public async Task PostgreSql_VerifyASchemaThatDoesNotExist_SaysSo_NotThatItIsAForeignLog()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();

        (int code, _, string error) =
            await RunAsync("verify", "--postgres", db.ConnectionString, "--schema", db.Schema);

        code.Should().Be(ExitCodes.WrongSchema);
        error.Should().Contain($"schema {db.Schema} does not exist: the database has no schema '{db.Schema}'.")
            .And.NotContain("not created by MetaModel");
    }

    [Fact]
    public async Task PostgreSql_WrongPassword_ExitsThreeWithoutEchoingThePassword()
    {
        string connectionString = new Npgsql.NpgsqlConnectionStringBuilder(PostgreSqlDatabase.ServerConnectionString)
        {
            Password = "Wrong-Secret-Pa55",
        }.ToString();

        (int code, string output, string error) = await RunAsync("verify", "--postgres", connectionString);

        code.Should().Be(ExitCodes.StoreUnavailable);
        error.Should().Contain("cannot be reached");
        (output + error).Should().NotContain("Wrong-Secret-Pa55");
    }

    private async Task<string> LogAsync(string stream = "cli", string file = "log.db")
    {
        string path = _files.File(file);
        SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(path);
        var options = new ComplianceLogOptions { Stream = stream, PseudonymizationKey = LogReading.Key() };
        await using (var recorder = new ComplianceLogRecorder(store, options))
        {
            var router = new MetaModelChatClient(
                [new Candidates.ModelCandidate("A", new FakeChatClient())],
                new Policies.OrderedRoutingPolicy());
            recorder.RecordPassport(Compliance.Passport.SystemPassport.Describe(router, null, recorder.Describe()));
            for (int i = 0; i < 4; i++)
            {
                recorder.RecordDecision(Records.Decision($"d{i}", tenant: i % 2 == 0 ? "acme" : "globex"));
                recorder.RecordOutcome(Records.Outcome($"d{i}", cost: 0.001m, energy: 1.0));
            }
        }

        await store.DisposeAsync();
        return path;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter(new StringBuilder(), System.Globalization.CultureInfo.InvariantCulture);
        var error = new StringWriter(new StringBuilder(), System.Globalization.CultureInfo.InvariantCulture);
        int code = await CliApplication.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        _ = command.ExecuteNonQuery();
    }
}

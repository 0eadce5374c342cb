using System.Text;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Sqlite;
using MetaModel.Compliance.Storage;
using MetaModel.Compliance.Tests.Fakes;
using Microsoft.Data.Sqlite;

namespace MetaModel.Compliance.Tests.Probe;

public sealed class ProbeTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("garbage")]
    public async Task Probe_RetentionTimestampOutOfRange(string ts)
    {
        string path = _files.File("t.db");
        await using SqliteComplianceLogStore store = SqliteComplianceLogStore.Open(path);
        _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(5, Records.Start.AddDays(-40)));
        _ = await store.AppendAsync("s", Chain.ChainVerifierTests.Pending(5, Records.Start));
        _ = await store.DeleteBeforeAsync("s", Records.Start.AddDays(-30), Records.Start.AddHours(1));
        LogEntry retention = (await LogReading.AllAsync(store, "s"))[^1];
        string payload = Encoding.UTF8.GetString(retention.Payload);
        string edited = System.Text.RegularExpressions.Regex.Replace(
            payload, "\"checkpointTimestamp\":\"[^\"]*\"", $"\"checkpointTimestamp\":\"{ts}\"");
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE entries SET payload = $p WHERE seq = $s";
            cmd.Parameters.AddWithValue("$p", Encoding.UTF8.GetBytes(edited));
            cmd.Parameters.AddWithValue("$s", retention.Sequence);
            cmd.ExecuteNonQuery();
        }

        VerificationReport report = await ChainVerifier.VerifyAsync(store, "s");
        report.IsValid.Should().BeFalse();
        report.Problems.Should().Contain(p => p.Kind == ChainProblemKind.Edited, string.Join("; ", report.Problems));
    }
}

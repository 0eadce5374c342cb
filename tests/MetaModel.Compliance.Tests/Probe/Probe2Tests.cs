using MetaModel.Compliance.Chain;
using MetaModel.Compliance.PostgreSql;
using MetaModel.Compliance.Sqlite;
using MetaModel.Compliance.Storage;
using MetaModel.Compliance.Tests.Fakes;
using MetaModel.Compliance.Tests.PostgreSql;

namespace MetaModel.Compliance.Tests.Probe;

public sealed class Probe2Tests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Probe_EmptyStreams()
    {
        await using PostgreSqlDatabase db = await PostgreSqlDatabase.CreateAsync();
        await using PostgreSqlComplianceLogStore pg = PostgreSqlComplianceLogStore.Open(
            db.ConnectionString, new PostgreSqlComplianceLogStoreOptions { Schema = db.Schema });
        await using SqliteComplianceLogStore sqlite = SqliteComplianceLogStore.Open(_files.File("e.db"));
        var memory = new InMemoryComplianceLogStore();
        foreach (IComplianceLogStore store in new IComplianceLogStore[] { pg, sqlite, memory })
        {
            _ = await store.AppendAsync("empty", []);
            VerificationReport report = await ChainVerifier.VerifyAsync(store, "empty");
            report.IsValid.Should().BeTrue(store.GetType().Name + ": " + string.Join("; ", report.Problems));
            _ = await store.DeleteBeforeAsync("empty", Records.Start, Records.Start);
            report = await ChainVerifier.VerifyAsync(store, "empty");
            report.IsValid.Should().BeTrue(store.GetType().Name + ": " + string.Join("; ", report.Problems));
            _ = await store.AppendAsync("one", Chain.ChainVerifierTests.Pending(3, Records.Start.AddDays(-3)));
            _ = await store.DeleteBeforeAsync("one", Records.Start, Records.Start);
            _ = await store.DeleteBeforeAsync("one", Records.Start.AddDays(1), Records.Start.AddDays(2));
            _ = await store.DeleteBeforeAsync("one", Records.Start.AddDays(3), Records.Start.AddDays(4));
            report = await ChainVerifier.VerifyAsync(store, "one");
            report.IsValid.Should().BeTrue(store.GetType().Name + ": " + string.Join("; ", report.Problems));
            (await RetentionHistory.ReadAsync(store, "one")).Should().HaveCount(3);
        }
    }

    [Fact]
    public async Task Probe_OffsetTimes()
    {
        await using SqliteComplianceLogStore sqlite = SqliteComplianceLogStore.Open(_files.File("o.db"));
        var memory = new InMemoryComplianceLogStore();
        foreach (IComplianceLogStore store in new IComplianceLogStore[] { sqlite, memory })
        {
            var offset = TimeSpan.FromHours(5.5);
            var t = new DateTimeOffset(2026, 3, 1, 12, 0, 0, 123, offset).AddTicks(4567);
            var pending = Enumerable.Range(0, 3).Select(i => new PendingEntry(t.AddSeconds(i), LogEntryKind.Decision, "{}"u8.ToArray())).ToList();
            _ = await store.AppendAsync("o", pending);
            _ = await store.DeleteBeforeAsync("o", t.AddSeconds(2), t.AddSeconds(5).AddTicks(77));
            _ = await store.AppendAsync("o", pending);
            _ = await store.DeleteBeforeAsync("o", t.AddSeconds(10), new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(-8)).AddTicks(9999));
            VerificationReport report = await ChainVerifier.VerifyAsync(store, "o");
            report.IsValid.Should().BeTrue(store.GetType().Name + ": " + string.Join("; ", report.Problems));
        }
    }
}

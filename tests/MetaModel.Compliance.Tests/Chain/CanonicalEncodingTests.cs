using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Tests.Fakes;

namespace MetaModel.Compliance.Tests.Chain;

public sealed class CanonicalEncodingTests
{
    [Fact]
    public void Writer_FollowsTheDocumentedRules()
    {
        var w = new CanonicalJsonWriter();
        w.StartObject();
        w.Property("a", "q\"b\\s\n\u0001é😀");
        w.Property("b", 0.1 + 0.2);
        w.Property("c", -0d);
        w.Property("d", 1.50m);
        w.Property("e", double.NaN);
        w.Property("f", new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.FromHours(1)));
        w.Property("g", (TimeSpan?)TimeSpan.FromMilliseconds(1.5));
        w.Property("h", (string?)null);
        w.Property("i", long.MinValue);
        w.EndObject();

        Encoding.UTF8.GetString(w.ToArray()).Should().Be(
            "{\"a\":\"q\\\"b\\\\s\\n\\u0001é😀\",\"b\":0.30000000000000004,\"c\":0,\"d\":1.5,\"e\":\"NaN\"," +
            "\"f\":\"2026-03-01T12:00:00.0000000Z\",\"g\":15000,\"i\":-9223372036854775808}");
    }

    [Fact]
    public void Writer_UnsortedMembers_AreRefused()
    {
        var w = new CanonicalJsonWriter();
        w.StartObject();
        w.Property("b", 1L);

        Action act = () => w.Property("a", 2L);

        act.Should().Throw<InvalidOperationException>().WithMessage("*ordinal order*");
    }

    [Fact]
    public async Task Payloads_AreTheSameUnderAnyCultureAndHaveSortedMembers()
    {
        CultureInfo original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            string german = await EncodeAsync();
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            string invariant = await EncodeAsync();

            german.Should().Be(invariant);
            foreach (string line in invariant.Split('\n'))
            {
                AssertSorted(JsonDocument.Parse(line).RootElement);
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    [Fact]
    public void Hash_MatchesTheDocumentedLayout()
    {
        byte[] payload = Encoding.UTF8.GetBytes("{\"v\":1}");
        byte[] previous = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var expected = new List<byte>();
        expected.AddRange("MMC1"u8.ToArray());
        expected.AddRange(previous);
        expected.AddRange(new byte[] { 0, 0, 0, 3 });
        expected.AddRange("abc"u8.ToArray());
        expected.AddRange(BitConverter.GetBytes(1_700_000_000_123L).Reverse());
        expected.Add(3);
        expected.AddRange(new byte[] { 0, 0, 0, (byte)payload.Length });
        expected.AddRange(payload);

        byte[] actual = new byte[32];
        HashChain.ComputeHash("abc", 1_700_000_000_123L, LogEntryKind.Outcome, payload, previous, actual);

        actual.Should().Equal(SHA256.HashData(expected.ToArray()));
    }

    private static async Task<string> EncodeAsync()
    {
        var store = new GatedStore();
        await using (var recorder = new ComplianceLogRecorder(store, Recording.ComplianceLogRecorderTests.Options()))
        {
            recorder.RecordDecision(Records.Decision("d1"));
            recorder.RecordAttempt(Records.Attempt("d1", "boom"));
            recorder.RecordOutcome(Records.Outcome("d1", cost: 1234.5678m, energy: 0.125));
            recorder.RecordFeedback(new FeedbackRecord("d1", Records.Start, "A", 0.75, true));
        }

        return string.Join('\n', (await LogReading.AllAsync(store, "test")).Select(e => e.PayloadText));
    }

    private static void AssertSorted(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            string[] names = element.EnumerateObject().Select(p => p.Name).ToArray();
            names.Should().BeInAscendingOrder(StringComparer.Ordinal);
            foreach (JsonProperty property in element.EnumerateObject())
            {
                AssertSorted(property.Value);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in element.EnumerateArray())
            {
                AssertSorted(item);
            }
        }
    }
}

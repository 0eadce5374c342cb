using System.Collections.Concurrent;
using System.Globalization;
using FluentAssertions;
using MetaModel.Routing;
using Xunit;

namespace MetaModel.Tests.Routing;

public sealed class DecisionIdsTests
{
    [Fact]
    public void AnId_IsAVersion7Uuid_WithTheTimeFirst_InThePlatformsTextForm()
    {
        var time = new DateTimeOffset(2026, 12, 5, 1, 2, 3, 456, TimeSpan.Zero);

        string id = DecisionIds.Create(time);

        id.Should().MatchRegex("^[0-9a-f]{32}$");
        var uuid = Guid.ParseExact(id, "N");
        uuid.Version.Should().Be(7);
        (uuid.Variant & 0xC).Should().Be(0x8, "the variant bits are 10 (RFC 9562)");
        uuid.ToString("N").Should().Be(id);
        long.Parse(id[..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            .Should().Be(time.ToUnixTimeMilliseconds());

        // The platform's own version 7 ids have the same layout.
        string platform = Guid.CreateVersion7(time).ToString("N");
        platform[..12].Should().Be(id[..12]);
        platform[12].Should().Be(id[12]);
    }

    [Fact]
    public void Ids_SortByTime_AndDifferWithinOneMillisecond()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        string[] ids = Enumerable.Range(0, 300).Select(i => DecisionIds.Create(start.AddMilliseconds(i / 3))).ToArray();

        ids.Should().OnlyHaveUniqueItems();
        for (int i = 3; i < ids.Length; i += 3)
        {
            string.CompareOrdinal(ids[i - 1], ids[i]).Should().BeNegative("a later millisecond sorts after an earlier one");
        }
    }

    [Fact]
    public async Task Ids_FromManyThreads_AreUnique_AndTheirRandomBitsVary()
    {
        var ids = new ConcurrentBag<string>();
        DateTimeOffset time = DateTimeOffset.UnixEpoch.AddDays(20_000);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 5_000; i++)
            {
                ids.Add(DecisionIds.Create(time));
            }
        })));

        ids.Should().HaveCount(20_000).And.OnlyHaveUniqueItems();

        // Every hexadecimal digit of the random part takes many values, not a counter's few.
        foreach (int position in new[] { 13, 14, 15, 17, 20, 25, 31 })
        {
            ids.Select(id => id[position]).Distinct().Should().HaveCount(16, $"digit {position} is random");
        }
    }
}

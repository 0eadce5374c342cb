using FluentAssertions;
using MetaModel.Routing;
using Xunit;

namespace MetaModel.Tests.Routing;

public sealed class FeedbackLedgerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(300)]
    [InlineData(1_000)]
    public void Ledger_KeepsExactlyTheNewestDecisions_AcrossGrowthAndWrapping(int capacity)
    {
        var ledger = new FeedbackLedger(capacity);
        int total = (3 * capacity) + 7;
        for (int i = 0; i < total; i++)
        {
            ledger.Add(Id(i), $"r{i}", $"c{i % 5}", [i, -i], i, TimeSpan.FromMilliseconds(i));
        }

        for (int i = 0; i < total; i++)
        {
            bool kept = i >= total - capacity;
            ledger.TryClaim(Id(i), out FeedbackLedger.Claim byDecision).Should().Be(kept, $"decision {i}");
            if (kept)
            {
                byDecision.Should().BeEquivalentTo(new
                {
                    DecisionId = Id(i),
                    CandidateId = $"c{i % 5}",
                    CostUsd = (decimal)i,
                    Latency = TimeSpan.FromMilliseconds(i),
                    First = true,
                });
                byDecision.Features.Should().Equal(i, -i);

                // The response id names the same decision, which has now been claimed once.
                ledger.TryClaim($"r{i}", out FeedbackLedger.Claim byResponse).Should().BeTrue();
                byResponse.DecisionId.Should().Be(Id(i));
                byResponse.First.Should().BeFalse();
                byResponse.Features.Should().BeEmpty();
            }
            else
            {
                ledger.TryClaim($"r{i}", out _).Should().BeFalse($"response {i}");
            }
        }
    }

    [Fact]
    public void Features_AreCopied_WhenKept()
    {
        var ledger = new FeedbackLedger(4);
        float[] features = [1, 2, 3];
        ledger.Add(Id(1), null, "c", features, 0, TimeSpan.Zero);
        features[0] = 99;

        ledger.TryClaim(Id(1), out FeedbackLedger.Claim claim).Should().BeTrue();
        claim.Features.Should().Equal(1, 2, 3);
    }

    [Fact]
    public void ZeroCapacity_KeepsNothing()
    {
        var ledger = new FeedbackLedger(0);
        ledger.Add(Id(1), "r", "c", [1], 0, TimeSpan.Zero);

        ledger.TryClaim(Id(1), out _).Should().BeFalse();
        ledger.TryClaim("r", out _).Should().BeFalse();
    }

    [Fact]
    public void AResponseIdGivenToSeveralDecisions_NamesNone_UntilTheyAreForgotten()
    {
        var ledger = new FeedbackLedger(3);
        ledger.Add(Id(100), "shared", "c", [], 0, TimeSpan.Zero);
        ledger.Add(Id(101), "shared", "c", [], 0, TimeSpan.Zero);
        ledger.Add(Id(102), "own", "c", [], 0, TimeSpan.Zero);

        ledger.IsAmbiguous("shared").Should().BeTrue();
        ledger.TryClaim("shared", out _).Should().BeFalse();
        ledger.TryClaim(Id(100), out _).Should().BeTrue();

        // Forgetting d0 leaves one decision with the id, which was still given to two: it stays ambiguous.
        ledger.Add(Id(103), null, "c", [], 0, TimeSpan.Zero);
        ledger.IsAmbiguous("shared").Should().BeTrue();

        // Forgetting d1 too forgets the id, which can then name a new decision.
        ledger.Add(Id(104), null, "c", [], 0, TimeSpan.Zero);
        ledger.IsAmbiguous("shared").Should().BeFalse();
        ledger.TryClaim("shared", out _).Should().BeFalse();
        ledger.Add(Id(105), "shared", "c", [], 0, TimeSpan.Zero);
        ledger.TryClaim("shared", out FeedbackLedger.Claim claim).Should().BeTrue();
        claim.DecisionId.Should().Be(Id(105));
    }

    [Fact]
    public void TheSameDecisionKeptTwice_IsOneDecision_ForItsResponseId()
    {
        var ledger = new FeedbackLedger(2);
        ledger.Add(Id(1), "r", "c", [1], 0, TimeSpan.Zero);
        ledger.Add(Id(1), "r", "c", [2], 0, TimeSpan.Zero);

        ledger.IsAmbiguous("r").Should().BeFalse();
        ledger.TryClaim("r", out FeedbackLedger.Claim claim).Should().BeTrue();
        claim.Features.Should().Equal(2);

        // Forgetting the older copy keeps the newer one reachable by both ids.
        ledger.Add(Id(2), null, "c", [3], 0, TimeSpan.Zero);
        ledger.TryClaim(Id(1), out _).Should().BeTrue();
        ledger.TryClaim("r", out _).Should().BeTrue();
    }

    [Fact]
    public void FeaturesOfAnotherLength_AreRefused_AndNothingKeptIsLost()
    {
        var ledger = new FeedbackLedger(4);
        ledger.Add(Id(1), null, "c", [1, 2], 0, TimeSpan.Zero);

        FluentActions.Invoking(() => ledger.Add(Id(2), null, "c", [1, 2, 3], 0, TimeSpan.Zero))
            .Should().Throw<ArgumentException>().WithMessage("*keeps 2 features*has 3*");
        ledger.TryClaim(Id(2), out _).Should().BeFalse();
        ledger.TryClaim(Id(1), out FeedbackLedger.Claim claim).Should().BeTrue();
        claim.Features.Should().Equal(1, 2);
    }

    [Theory]
    [InlineData("not-a-decision-id")]
    [InlineData("0000000000000000000000000000000A")]
    [InlineData("{00000000-0000-0000-0000-000000000001}")]
    public void AnIdThatIsNotADecisionId_IsRefused_AndFindsNothing(string id)
    {
        var ledger = new FeedbackLedger(4);
        ledger.Add(Id(10), "r", "c", [1], 0, TimeSpan.Zero);

        FluentActions.Invoking(() => ledger.Add(id, null, "c", [1], 0, TimeSpan.Zero))
            .Should().Throw<ArgumentException>().WithMessage("*is not a decision id*");
        ledger.TryClaim(id, out _).Should().BeFalse();
        ledger.TryClaim(Id(10).ToUpperInvariant(), out _).Should().BeFalse("decision ids are compared exactly");
        ledger.TryClaim(Id(10), out _).Should().BeTrue();
    }

    [Fact]
    public async Task ConcurrentAddsAndClaims_ClaimEachDecisionFirstExactlyOnce()
    {
        var ledger = new FeedbackLedger(10_000);
        const int Writers = 4;
        const int PerWriter = 2_000;
        int firsts = 0;
        Task[] writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (int i = 0; i < PerWriter; i++)
            {
                ledger.Add(Id((w * PerWriter) + i), null, "c", [w, i], 0, TimeSpan.Zero);
            }
        })).ToArray();
        Task[] claimers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await Task.WhenAll(writers);
            for (int w = 0; w < Writers; w++)
            {
                for (int i = 0; i < PerWriter; i++)
                {
                    if (ledger.TryClaim(Id((w * PerWriter) + i), out FeedbackLedger.Claim claim) && claim.First)
                    {
                        claim.Features.Should().Equal(w, i);
                        Interlocked.Increment(ref firsts);
                    }
                }
            }
        })).ToArray();

        await Task.WhenAll(claimers);
        firsts.Should().Be(Writers * PerWriter);
    }

    private static string Id(int number) => number.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
}

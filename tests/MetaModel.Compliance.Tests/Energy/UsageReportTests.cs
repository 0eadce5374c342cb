using System.Globalization;
using MetaModel.Candidates;
using MetaModel.Compliance.Energy;
using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Storage;
using MetaModel.Compliance.Tests.Fakes;

namespace MetaModel.Compliance.Tests.Energy;

public sealed class UsageReportTests
{
    [Fact]
    public async Task Build_ByCandidate_SumsTokensCostEnergyAndEmissions()
    {
        InMemoryComplianceLogStore store = await LogAsync();

        IReadOnlyList<UsageRow> rows = await UsageReport.BuildAsync(store);

        rows.Select(r => r.Candidate).Should().Equal("(none)", "A", "B");
        UsageRow a = rows[1];
        a.Requests.Should().Be(3);
        a.InputTokens.Should().Be(300);
        a.CostUsd.Should().Be(0.003m);
        a.EnergyWh.Should().BeApproximately(1.5, 1e-12);
        a.EmissionsGrams.Should().BeApproximately(1.5 * 200 / 1000, 1e-12);
        UsageRow b = rows[2];
        b.RequestsWithoutEnergy.Should().Be(1);
        b.EnergyWh.Should().Be(0);
        rows[0].Failed.Should().Be(1);
    }

    [Fact]
    public async Task Build_ByTenantAndDay_GroupsByPseudonymAndUtcDay()
    {
        InMemoryComplianceLogStore store = await LogAsync();

        IReadOnlyList<UsageRow> rows =
            await UsageReport.BuildAsync(store, new UsageReportOptions { GroupBy = UsageGrouping.Tenant | UsageGrouping.Day });

        rows.Should().HaveCount(2, "acme asked on the first day, globex on the second");
        rows.Select(r => r.Requests).Sum().Should().Be(5);
        rows.Should().OnlyContain(r => r.Tenant!.Length == 64 && r.Candidate == null);
        rows.Select(r => r.Day).Distinct()
            .Should().BeEquivalentTo(new DateOnly?[] { new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2) });
        rows.Select(r => r.Tenant).Distinct().Should().HaveCount(2);
    }

    [Fact]
    public async Task Build_WithOverridesAndIntensity_RecomputesFromTokens()
    {
        InMemoryComplianceLogStore store = await LogAsync();
        var options = new UsageReportOptions { GridCarbonIntensity = 100, FallbackProfile = EnergyProfiles.Small };
        options.ProfileOverrides["A"] = new Candidates.EnergyProfile(1, 10, "test");

        IReadOnlyList<UsageRow> rows = await UsageReport.BuildAsync(store, options);

        UsageRow a = rows.Single(r => r.Candidate == "A");
        a.EnergyWh.Should().BeApproximately(3 * ((100 * 1 / 1000d) + (50 * 10 / 1000d)), 1e-12);
        a.EmissionsGrams.Should().BeApproximately(a.EnergyWh * 100 / 1000, 1e-12);
        UsageRow b = rows.Single(r => r.Candidate == "B");
        b.RequestsWithoutEnergy.Should().Be(0);
        b.EnergyWh.Should().BeApproximately(EnergyProfiles.Small.WattHoursFor(100, 50), 1e-12);
    }

    [Fact]
    public async Task Tables_HaveOneLinePerRowAndTheUnits()
    {
        InMemoryComplianceLogStore store = await LogAsync();
        IReadOnlyList<UsageRow> rows = await UsageReport.BuildAsync(store);

        string energy = UsageReport.FormatEnergyTable(rows, UsageGrouping.Candidate);
        string cost = UsageReport.FormatCostTable(rows, UsageGrouping.Candidate);

        energy.Should().Contain("Energy (Wh)").And.Contain("Emissions (gCO2e)")
            .And.Contain("| A | 3 | 300 | 150 | 1.5 | 0.3 | 0 |");
        cost.Should().Contain("Cost (USD)").And.Contain("| A | 3 | 0 | 0 | 300 | 150 | 0.003 | 0 |");
        energy.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2 + rows.Count);
    }

    [Fact]
    public async Task FailedAttempts_CountAgainstTheCandidateThatFailed_EvenIfItNeverAnswered()
    {
        var store = new GatedStore();
        await using (var recorder = new ComplianceLogRecorder(store, Recording.ComplianceLogRecorderTests.Options()))
        {
            // d1: "flaky" fails, "A" answers; d2: "flaky" fails twice, then the request fails.
            recorder.RecordDecision(Records.Decision("d1", tenant: "acme"));
            recorder.RecordAttempt(Records.Attempt("d1", error: "503") with { CandidateId = "flaky" });
            recorder.RecordAttempt(Records.Attempt("d1"));
            recorder.RecordOutcome(Records.Outcome("d1", "A", Records.Start, energy: 0.5));
            recorder.RecordDecision(Records.Decision("d2", tenant: "acme"));
            recorder.RecordAttempt(Records.Attempt("d2", error: "503") with { CandidateId = "flaky" });
            recorder.RecordAttempt(Records.Attempt("d2", error: "503") with { CandidateId = "flaky", AttemptNumber = 2 });
            recorder.RecordOutcome(
                Records.Outcome("d2", null, Records.Start, input: 0, output: 0, cost: 0, energy: null, error: "boom"));
        }

        IReadOnlyList<UsageRow> rows = await UsageReport.BuildAsync(store.Inner);

        rows.Select(r => (r.Candidate, r.Requests, r.Failed, r.FailedAttempts))
            .Should().Equal(("(none)", 1, 1, 0), ("A", 1, 0, 0), ("flaky", 0, 0, 3));
        UsageReport.FormatCostTable(rows, UsageGrouping.Candidate).Should().Contain("| flaky | 0 | 0 | 3 | 0 | 0 | 0 | 0 |");

        IReadOnlyList<UsageRow> byTenant =
            await UsageReport.BuildAsync(store.Inner, new UsageReportOptions { GroupBy = UsageGrouping.Tenant });
        byTenant.Should().ContainSingle().Which.FailedAttempts.Should().Be(3);
    }

    [Theory]
    [InlineData(double.NaN, "GridCarbonIntensity")]
    [InlineData(-1d, "GridCarbonIntensity")]
    [InlineData(double.PositiveInfinity, "GridCarbonIntensity")]
    public async Task Build_GridIntensityNotAFiniteNonNegativeNumber_IsRefusedByName(double intensity, string setting)
    {
        // A NaN or negative intensity turned every emissions total into NaN or a negative number, without a word.
        InMemoryComplianceLogStore store = await LogAsync();

        Func<Task> act = () => UsageReport.BuildAsync(store, new UsageReportOptions { GridCarbonIntensity = intensity });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(setting);
    }

    [Fact]
    public async Task Build_ProfilesWithNegativeOrNaNFigures_AreRefusedByName()
    {
        InMemoryComplianceLogStore store = await LogAsync();
        var overrides = new UsageReportOptions();
        overrides.ProfileOverrides["A"] = new Candidates.EnergyProfile(-1, 0.5, "typo");
        var fallback = new UsageReportOptions { FallbackProfile = new Candidates.EnergyProfile(0.1, double.NaN, "typo") };

        Func<Task> withOverride = () => UsageReport.BuildAsync(store, overrides);
        Func<Task> withFallback = () => UsageReport.BuildAsync(store, fallback);

        (await withOverride.Should().ThrowAsync<ArgumentException>()).Which.Message
            .Should().Contain("ProfileOverrides").And.Contain("'A'");
        (await withFallback.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("FallbackProfile");
    }

    [Fact]
    public async Task Build_FromNotBeforeUntil_IsRefused_RatherThanAnEmptyReport()
    {
        InMemoryComplianceLogStore store = await LogAsync();
        var options = new UsageReportOptions { From = Records.Start.AddDays(1), Until = Records.Start };

        Func<Task> act = () => UsageReport.BuildAsync(store, options);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("From").And.Contain("Until");
    }

    [Fact]
    public void DefaultProfiles_GrowWithModelSizeAndCiteTheirMethod()
    {
        EnergyProfiles.Small.WattHoursPerThousandOutputTokens
            .Should().BeLessThan(EnergyProfiles.Medium.WattHoursPerThousandOutputTokens);
        EnergyProfiles.Medium.WattHoursPerThousandOutputTokens
            .Should().BeLessThan(EnergyProfiles.Large.WattHoursPerThousandOutputTokens);
        EnergyProfiles.Large.WattHoursFor(0, 500)
            .Should().BeApproximately(0.3, 1e-12, "the Epoch AI estimate of a typical GPT-4o answer");
        EnergyProfiles.Large.Source.Should().Contain("docs/energy.md");
        EnergyProfiles.FromName("MEDIUM").Should().BeSameAs(EnergyProfiles.Medium);
        EnergyProfiles.FromName("huge").Should().BeNull();
    }

    private static async Task<InMemoryComplianceLogStore> LogAsync()
    {
        var store = new GatedStore();
        ComplianceLogOptions options = Recording.ComplianceLogRecorderTests.Options();
        options.GridCarbonIntensity = 200;
        await using (var recorder = new ComplianceLogRecorder(store, options))
        {
            recorder.RecordDecision(Records.Decision("d1", tenant: "acme"));
            recorder.RecordOutcome(Records.Outcome("d1", "A", Records.Start, energy: 0.5));
            recorder.RecordDecision(Records.Decision("d2", tenant: "acme"));
            recorder.RecordOutcome(Records.Outcome("d2", "A", Records.Start.AddHours(1), energy: 0.5));
            recorder.RecordDecision(Records.Decision("d3", tenant: "globex"));
            recorder.RecordOutcome(Records.Outcome("d3", "A", Records.Start.AddDays(1), energy: 0.5));
            recorder.RecordDecision(Records.Decision("d4", tenant: "globex"));
            recorder.RecordOutcome(Records.Outcome("d4", "B", Records.Start.AddDays(1), energy: null));
            recorder.RecordDecision(Records.Decision("d5", tenant: "globex"));
            recorder.RecordOutcome(
                Records.Outcome("d5", null, Records.Start.AddDays(1), input: 0, output: 0, cost: 0, energy: null, error: "boom"));
        }

        return store.Inner;
    }

    [Fact]
    public void WattHoursFor_IsRoundedToNanowattHours_SoRecordsShowNoBinaryFractions()
    {
        var profile = new EnergyProfile(0.1, 0.3, "test");

        double wh = profile.WattHoursFor(76, 50);

        wh.ToString("R", CultureInfo.InvariantCulture).Should().Be("0.0226");
        profile.WattHoursFor(1, 0).Should().Be(0.0001);
    }
}

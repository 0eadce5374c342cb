using System.Text.Json;
using MetaModel.Candidates;
using MetaModel.Compliance.Energy;
using MetaModel.Compliance.Passport;
using MetaModel.Compliance.Tests.Fakes;
using MetaModel.Features;
using MetaModel.Policies;
using MetaModel.Routing;
using Microsoft.Extensions.Time.Testing;

namespace MetaModel.Compliance.Tests.Passport;

public sealed class SystemPassportTests
{
    private static readonly RecorderDescription s_recorder =
        new("SQLite file /tmp/x.db", "metamodel", 1000, 100, "Wait", TimeSpan.FromSeconds(2), false, 90, 436, "k1");

    [Fact]
    public void Fingerprint_SameConfigurationAtAnotherTime_IsTheSame()
    {
        var early = new FakeTimeProvider(Records.Start);
        var late = new FakeTimeProvider(Records.Start.AddDays(3));

        SystemPassport a = SystemPassport.Describe(Router(), Declaration(), s_recorder, early);
        SystemPassport b = SystemPassport.Describe(Router(), Declaration(), s_recorder, late);

        a.Fingerprint.Should().HaveLength(64).And.Be(b.Fingerprint);
        a.GeneratedAt.Should().NotBe(b.GeneratedAt);
    }

    public static TheoryData<string> Changes() => new()
    {
        "price", "capability", "energy", "region tag", "policy parameter", "max attempts", "constraint", "retention",
        "content capture", "grid intensity", "intended use", "risk class", "evaluation result", "candidate added",
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Fingerprint_AnyRelevantChange_ChangesIt(string change)
    {
        string baseline = SystemPassport.Describe(Router(), Declaration(), s_recorder).Fingerprint;
        SystemDeclaration declaration = Declaration();
        RecorderDescription recorder = s_recorder;
        MetaModelChatClient router = change switch
        {
            "price" => Router(price: 3.01m),
            "capability" => Router(capabilities: ModelCapabilities.Streaming),
            "energy" => Router(energy: EnergyProfiles.Large),
            "region tag" => Router(region: "us"),
            "policy parameter" => Router(weightA: 0.7),
            "max attempts" => Router(maxAttempts: 2),
            "constraint" => Router(constraint: true),
            "candidate added" => Router(extra: true),
            _ => Router(),
        };
        switch (change)
        {
            case "retention": recorder = s_recorder with { RetentionDays = 30 }; break;
            case "content capture": recorder = s_recorder with { CaptureContent = true }; break;
            case "grid intensity": recorder = s_recorder with { GridCarbonIntensity = 250 }; break;
            case "intended use": declaration.IntendedUse = "Customer support drafts, reviewed by staff."; break;
            case "risk class": declaration.RiskClass = "high"; break;
            case "evaluation result": declaration.EvaluationResults.Add(new EvaluationResult("A", "accuracy", 0.91)); break;
        }

        SystemPassport.Describe(router, declaration, recorder).Fingerprint.Should().NotBe(baseline, change);
    }

    [Fact]
    public void ToJson_DescribesCandidatesPolicyRecorderAndDeclaration()
    {
        SystemDeclaration declaration = Declaration();
        declaration.EvaluationResults.Add(
            new EvaluationResult("metamodel", "mean quality", 0.87, "replay of March traffic", Records.Start));

        SystemPassport passport = SystemPassport.Describe(Router(energy: EnergyProfiles.Medium), declaration, s_recorder);
        using JsonDocument json = JsonDocument.Parse(passport.ToJson());

        JsonElement system = json.RootElement.GetProperty("system");
        json.RootElement.GetProperty("fingerprint").GetString().Should().Be(passport.Fingerprint);
        JsonElement a = system.GetProperty("candidates")[0];
        a.GetProperty("id").GetString().Should().Be("A");
        a.GetProperty("provider").GetString().Should().Be("openai");
        a.GetProperty("model").GetString().Should().Be("gpt-4o-mini");
        a.GetProperty("modelVersion").GetString().Should().Be("2024-07-18");
        a.GetProperty("region").GetString().Should().Be("eu");
        a.GetProperty("pricesUsdPerMillionTokens").GetProperty("output").GetDecimal().Should().Be(3m);
        a.GetProperty("energy").GetProperty("whPer1kOutputTokens").GetDouble()
            .Should().Be(EnergyProfiles.Medium.WattHoursPerThousandOutputTokens);
        a.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()).Should().Contain("Tools");
        system.GetProperty("candidates")[1].GetProperty("provider").GetString()
            .Should().Be("fake-provider", "metadata fills what tags do not say");
        system.GetProperty("routing").GetProperty("policy").GetString().Should().Be("weighted");
        system.GetProperty("routing").GetProperty("featurizer").GetString().Should().Be("none");
        system.GetProperty("routing").GetProperty("parameters").EnumerateObject().Should().NotBeEmpty();
        system.GetProperty("recorder").GetProperty("retentionDays").GetInt32().Should().Be(90);
        system.GetProperty("declaration").GetProperty("riskClass").GetString().Should().Be("limited");
        system.GetProperty("declaration").GetProperty("evaluationResults")[0].GetProperty("value").GetDouble().Should().Be(0.87);
        SystemPassport.Parse(passport.ToCanonicalJson()).Fingerprint.Should().Be(passport.Fingerprint);
    }

    [Fact]
    public void Featurizer_IsNamedWithItsFeatureVersion_AndChangingItChangesTheFingerprint()
    {
        var candidates = new IModelCandidate[] { new ModelCandidate("A", new FakeChatClient()) };
        var hashing = new MetaModelChatClient(
            candidates, new OrderedRoutingPolicy(), featurizer: new HashingPromptFeaturizer(64));
        var withTask = new MetaModelChatClient(
            candidates, new OrderedRoutingPolicy(), featurizer: new TaskFeaturizer(new HashingPromptFeaturizer(64)));

        SystemPassport first = SystemPassport.Describe(hashing, Declaration(), s_recorder);
        SystemPassport second = SystemPassport.Describe(withTask, Declaration(), s_recorder);
        using JsonDocument json = JsonDocument.Parse(second.ToJson());

        json.RootElement.GetProperty("system").GetProperty("routing").GetProperty("featurizer").GetString()
            .Should().Be(
                $"hashing, features version {HashingPromptFeaturizer.FeatureVersion}, d = 64, plus the task label in 32 slots");
        second.ToMarkdown().Should().Contain("Prompt features");
        second.Fingerprint.Should().NotBe(first.Fingerprint);
    }

    [Fact]
    public void ToMarkdown_HasAnnexIvAndNistHeadingsAndTables()
    {
        SystemDeclaration declaration = Declaration();
        declaration.EvaluationResults.Add(new EvaluationResult("A", "accuracy", 0.9, "replay"));

        string markdown = SystemPassport.Describe(Router(), declaration, s_recorder).ToMarkdown();

        markdown.Should().Contain("### 1. General description of the AI system")
            .And.Contain("### 2. Elements of the system and its development process")
            .And.Contain("### 3. Monitoring, functioning and control")
            .And.Contain("### 5. Risk management")
            .And.Contain("### 6. Changes over the lifecycle")
            .And.Contain("### 7. Standards and specifications applied")
            .And.Contain("### 8. EU declaration of conformity")
            .And.Contain("### 9. Post-market monitoring")
            .And.Contain("### Govern").And.Contain("### Map").And.Contain("### Measure").And.Contain("### Manage")
            .And.Contain("| A | openai | gpt-4o-mini | 2024-07-18 | eu |")
            .And.Contain("| A | accuracy | 0.9 | replay |")
            .And.Contain("Answering customer questions");
    }

    [Fact]
    public void ToMarkdown_WithoutADurableLog_ClaimsNoLog_AndWithOne_DescribesIt()
    {
        // Statements that only a durable decision log makes true; without one they contradicted "No durable decision
        // log is configured" on the same page.
        string[] logClaims =
        [
            "records every choice in a tamper-evident decision log",
            "Every decision is attributable through the tamper-evident log",
            "every decision, attempt and outcome is logged",
            "this passport is written into the decision log",
            "The decision log supports it",
            "Per request the log measures",
            "the chain is verified with `metamodel verify`",
        ];

        string without = SystemPassport.Describe(Router(), Declaration(), recorder: null).ToMarkdown();
        string with = SystemPassport.Describe(Router(), Declaration(), s_recorder).ToMarkdown();

        without.Should().Contain("No durable decision log is configured");
        foreach (string claim in logClaims)
        {
            without.Should().NotContain(claim);
            with.Should().Contain(claim);
        }

        with.Should().NotContain("No durable decision log is configured").And.NotContain("not recorded");
    }

    [Fact]
    public void Describe_EndpointWithKeyInQuery_KeepsOnlySchemeAndHost()
    {
        var client =
            new FakeChatClient(endpoint: new Uri("https://user:pw@models.example.net/v1?api-key=sk-live-SECRET1234567890abcd"));
        var router = new MetaModelChatClient(
            [new ModelCandidate(
                "A",
                client,
                tags: new Dictionary<string, string> { ["note"] = "key sk-live-SECRET1234567890abcd" })],
            new OrderedRoutingPolicy());

        string json = SystemPassport.Describe(router).ToJson();

        json.Should().Contain("https://models.example.net").And.NotContain("SECRET").And.NotContain("pw@");
    }

    private static SystemDeclaration Declaration() => new()
    {
        SystemName = "support-router",
        Provider = "Example GmbH",
        IntendedUse = "Answering customer questions about invoices.",
        RiskClass = "limited",
        HumanOversight = "Agents review every answer before it is sent.",
    };

    private static MetaModelChatClient Router(
        decimal price = 3m,
        ModelCapabilities capabilities = ModelCapabilities.All,
        EnergyProfile? energy = null,
        string region = "eu",
        double weightA = 0.5,
        int maxAttempts = 3,
        bool constraint = false,
        bool extra = false)
    {
        var tags = new Dictionary<string, string>
        {
            ["provider"] = "openai",
            ["model"] = "gpt-4o-mini",
            ["model-version"] = "2024-07-18",
            ["region"] = region,
        };
        var candidates = new List<IModelCandidate>
        {
            new ModelCandidate("A", new FakeChatClient(), new ModelPricing(0.15m, price), 128_000, capabilities, tags, energy),
            new ModelCandidate("B", new FakeChatClient()),
        };
        if (extra)
        {
            candidates.Add(new ModelCandidate("C", new FakeChatClient()));
        }

        var options = new MetaModelOptions { MaxAttemptsPerRequest = maxAttempts };
        if (constraint)
        {
            options.Constraints.Add(TagConstraint.Require("region", "eu"));
        }

        var weights = new Dictionary<string, double> { ["A"] = weightA, ["B"] = 1 - weightA };
        return new MetaModelChatClient(candidates, new WeightedRoutingPolicy(weights, new Random(1)), options);
    }
}

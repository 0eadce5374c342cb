using MetaModel.Candidates;
using MetaModel.DependencyInjection;
using MetaModel.Features;
using MetaModel.Policies;
using MetaModel.Routing;
using MetaModel.Scoring;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace MetaModel.Tests.Policies;

public sealed class BanditRoutingPolicyTests
{
    private static readonly ModelCandidate[] s_candidates =
    [
        new("per-token", new FakeChatClient(), new ModelPricing(10m, 0m)),
        new("flat", new FakeChatClient(), new ModelPricing(0m, 20m)),
    ];

    [Fact]
    public void Cost_IsPredictedForThePromptSize_SoLongPromptsGoToTheCandidateThatChargesLessPerToken()
    {
        // "per-token" costs 0.00001 per prompt token, "flat" 0.005 per call: over prompts of 100 to 1,000 tokens
        // their mean costs are nearly equal, but a short prompt is cheaper on the first and a long one on the second.
        BanditRoutingPolicy policy = Initialized(new BanditRoutingOptions { Exploration = 0, CostWeight = 1 });
        for (int tokens = 100; tokens <= 1_000; tokens += 25)
        {
            Observe(policy, "per-token", tokens * 0.00001m, tokens);
            Observe(policy, "flat", 0.005m, tokens);
        }

        Choose(policy, inputTokens: 100).Should().Be("per-token");
        Choose(policy, inputTokens: 2_000).Should().Be("flat");
    }

    [Fact]
    public void WarmStart_LearnsTheCostOfEachPromptSize_FromTheHistory()
    {
        BanditRoutingPolicy policy = Initialized(new BanditRoutingOptions { Exploration = 0, CostWeight = 1 });
        var history = new List<BanditHistoryRecord>();
        for (int tokens = 100; tokens <= 1_000; tokens += 25)
        {
            history.Add(new BanditHistoryRecord(new float[] { 1, 0 }, "per-token", 0.5, tokens * 0.00001m, tokens));
            history.Add(new BanditHistoryRecord(new float[] { 1, 0 }, "flat", 0.5, 0.005m, tokens));
        }

        policy.WarmStart(history);

        Choose(policy, inputTokens: 150).Should().Be("per-token");
        Choose(policy, inputTokens: 1_500).Should().Be("flat");
    }

    [Fact]
    public void WarmStart_AfterLiveCosts_LearnsWhatOneStreamOfBothWouldTeach()
    {
        // The history's costs are summed apart and added to the live ones in one step: the cost line must be the one
        // that the live costs followed by the history's, one by one, give. Live prompts are short and history prompts
        // long, so a wrong combination of the two means or co-moments would move the line's slope.
        var options = new BanditRoutingOptions { Exploration = 0, CostWeight = 1 };
        var live = new List<BanditHistoryRecord>();
        var history = new List<BanditHistoryRecord>();
        float[] features = [1, 0];
        for (int i = 0; i < 20; i++)
        {
            int tokens = 100 + (10 * i);
            live.Add(new BanditHistoryRecord(features, "per-token", 0.7, tokens * 0.00001m, tokens));
            live.Add(new BanditHistoryRecord(features, "flat", 0.6, 0.005m + (i * 0.0001m), tokens));
        }

        for (int i = 0; i < 40; i++)
        {
            int tokens = 800 + (10 * i);
            history.Add(new BanditHistoryRecord(features, "per-token", 0.8, tokens * 0.00002m, tokens));
            history.Add(new BanditHistoryRecord(features, "flat", 0.5, 0.006m - (i * 0.00005m), tokens));
        }

        BanditRoutingPolicy split = Initialized(options);
        foreach (BanditHistoryRecord record in live)
        {
            Observe(split, record.CandidateId, record.CostUsd, record.InputTokens);
            split.ObserveFeedback(new QualityFeedback("d", record.CandidateId, record.Features, record.Quality, 0m, default));
        }

        split.WarmStart(history);
        BanditRoutingPolicy whole = Initialized(options);
        whole.WarmStart([.. live, .. history]);

        foreach (int tokens in (int[])[50, 1_000, 5_000])
        {
            var request = new RoutingRequest("d", Chat.Prompt("x"), null, features, s_candidates, tokens);
            double[] expected = [.. whole.Decide(request).Ranked.OrderBy(r => r.Candidate.Id).Select(r => r.Score)];
            double[] actual = [.. split.Decide(request).Ranked.OrderBy(r => r.Candidate.Id).Select(r => r.Score)];
            actual.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering().Using<double>(
                c => c.Subject.Should().BeApproximately(c.Expectation, 1e-5)).WhenTypeIs<double>(), $"{tokens} tokens");
        }
    }

    [Fact]
    public void WarmStart_WithBadRecords_ListsEveryProblemByRecordNumber_AndLearnsNothing()
    {
        BanditRoutingPolicy policy = Initialized(new BanditRoutingOptions { Exploration = 0, CostWeight = 0 });
        float[] features = [1, 0];
        for (int i = 0; i < 20; i++)
        {
            policy.ObserveFeedback(new QualityFeedback("d", "flat", features, 1, 0m, TimeSpan.Zero));
        }

        BanditHistoryRecord[] history =
        [
            new(features, "per-token", 1, 0.001m, 10),
            new(features, "per-token", 50, 0.001m, 10),
            new(features, "nobody", 1, 0.001m, 10),
            new(features, "per-token", double.NaN, -0.5m, -5),
            new(features, null!, 1, 0.001m, 10),
        ];

        FluentActions.Invoking(() => policy.WarmStart(history))
            .Should().Throw<ArgumentException>()
            .WithMessage(
                "*record 2 has a quality of 50*record 3 names unknown candidate 'nobody'*record 4 has a quality of NaN*" +
                "record 4 has a negative cost (-0.5)*record 4 has a negative prompt size (-5 tokens)*" +
                "record 5 names no candidate*");
        Choose(policy, inputTokens: 100).Should().Be("flat");
        policy.Scorer.GetUpdateCount(0).Should().Be(0, "arm 0 is \"per-token\", which only the refused history names");
    }

    [Fact]
    public void WarmStart_WithACostOrPromptNoCallCouldHave_ListsTheRecord_AndLearnsNothing()
    {
        // "per-token" charges 10 USD per million input tokens and has a 128,000-token window: one call costs at most
        // 1.28 USD at list prices, so 10 times that is the most the policy believes.
        BanditRoutingPolicy policy = Initialized(new BanditRoutingOptions { Exploration = 0, CostWeight = 1 });
        float[] features = [1, 0];
        BanditHistoryRecord[] history =
        [
            new(features, "per-token", 1, 12.8m, 128_000),
            new(features, "per-token", 1, decimal.MaxValue, 10),
            new(features, "flat", 1, 0.001m, 128_001),
        ];

        FluentActions.Invoking(() => policy.WarmStart(history))
            .Should().Throw<ArgumentException>()
            .Where(e => !e.Message.Contains("record 1 ", StringComparison.Ordinal))
            .WithMessage(
                "*record 2 has a cost of 79228162514264337593543950335 USD, more than one call to 'per-token' can cost " +
                "at its list prices (12.8 USD)*" +
                "record 3 has a prompt of 128001 tokens, more than the 128000-token context window of 'flat'*");
        policy.Scorer.GetUpdateCount(0).Should().Be(0);
        policy.Scorer.GetUpdateCount(1).Should().Be(0);
    }

    [Fact]
    public void Observe_ACostNoCallCouldHave_NeitherSkewsTheCostLineNorMovesThePacedCostWeight()
    {
        BanditRoutingPolicy policy = Initialized(
            new BanditRoutingOptions { Exploration = 0, CostWeight = 1, TargetCostPerRequestUsd = 0.005 });
        for (int tokens = 100; tokens <= 1_000; tokens += 25)
        {
            Observe(policy, "per-token", tokens * 0.00001m, tokens);
            Observe(policy, "flat", 0.005m, tokens);
        }

        double paced = policy.CurrentCostWeight;
        Observe(policy, "per-token", decimal.MaxValue, 100);
        Observe(policy, "per-token", 13m, 100);

        policy.CurrentCostWeight.Should().Be(paced);
        Choose(policy, inputTokens: 100).Should().Be("per-token", "its cost line is still 0.00001 USD per token");
    }

    [Fact]
    public void Pacing_AfterCostsFarAboveTheTarget_CapsTheCostWeight()
    {
        BanditRoutingPolicy policy = Initialized(
            new BanditRoutingOptions { Exploration = 0, TargetCostPerRequestUsd = 1e-9 });

        Observe(policy, "per-token", 1m, 100);

        policy.CurrentCostWeight.Should().Be(1_000);
    }

    [Theory]
    [InlineData(0.5, "flat")]
    [InlineData(0.0, "per-token")]
    public void PriorQuality_IsWhatAnUntriedCandidateIsExpectedToScore(double prior, string expected)
    {
        // "per-token" has scored 0.3 every time; "flat" was never tried. Expected to be average (0.5), the untried
        // candidate is worth a try; expected to be useless (0), it never is.
        BanditRoutingPolicy policy = Initialized(
            new BanditRoutingOptions { Exploration = 0, CostWeight = 0, PriorQuality = prior });
        for (int i = 0; i < 50; i++)
        {
            policy.ObserveFeedback(new QualityFeedback("d", "per-token", new float[] { 1, 0 }, 0.3, 0m, TimeSpan.Zero));
        }

        Choose(policy, inputTokens: 100).Should().Be(expected);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void PriorQuality_OutsideZeroToOne_IsRefused(double prior) =>
        FluentActions.Invoking(() => new BanditRoutingPolicy(new BanditRoutingOptions { PriorQuality = prior }))
            .Should().Throw<ArgumentException>().WithMessage("*PriorQuality must be from 0 to 1*");

    [Fact]
    public void Cost_BeforeEnoughPromptSizesAreSeen_ScalesWithTheListPricePerInputToken()
    {
        BanditRoutingPolicy policy = Initialized(new BanditRoutingOptions { Exploration = 0, CostWeight = 1 });
        Observe(policy, "per-token", 0.005m, 500);
        Observe(policy, "flat", 0.005m, 500);

        // One observation each, at 500 tokens, costs the same; the list price says a longer prompt costs more on
        // "per-token" only.
        Choose(policy, inputTokens: 5_000).Should().Be("flat");
    }

    [Fact]
    public void WarmStart_WithATargetCost_StartsPacingAtTheCostWeightThatMeetsTheTargetOnTheHistory()
    {
        // On "easy" prompts the cheap candidate is nearly as good (0.9 against 1), on "hard" ones it is poor (0.2).
        // A target of half the dear candidate's cost affords it on the hard half only: that takes λ just above
        // 0.11 (in units of the dear candidate's cost), so the default 0.1 would still send easy prompts to it.
        var candidates = new[]
        {
            new ModelCandidate("dear", new FakeChatClient(), new ModelPricing(0m, 0m)),
            new ModelCandidate("cheap", new FakeChatClient(), new ModelPricing(0m, 0m)),
        };
        var policy = new BanditRoutingPolicy(new BanditRoutingOptions { Exploration = 0, TargetCostPerRequestUsd = 0.0055 });
        policy.Initialize(candidates, featureDimension: 2).Should().BeEmpty();
        float[] easy = [1, 0];
        float[] hard = [0, 1];
        var history = new List<BanditHistoryRecord>();
        for (int i = 0; i < 200; i++)
        {
            float[] features = i % 2 == 0 ? easy : hard;
            history.Add(new BanditHistoryRecord(features, "dear", 1, 0.01m, 100));
            history.Add(new BanditHistoryRecord(features, "cheap", features == easy ? 0.9 : 0.2, 0.001m, 100));
        }

        policy.WarmStart(history);

        policy.CurrentCostWeight.Should().BeInRange(0.11, 0.13);
        Decide(policy, candidates, easy).Should().Be("cheap");
        Decide(policy, candidates, hard).Should().Be("dear");
    }

    [Fact]
    public async Task TaskFeatures_TheBanditLearnsWhichCandidateSuitsEachTask_OnIdenticalPrompts()
    {
        var services = new ServiceCollection();
        var left = FakeChatClient.Answering("left", "L");
        var right = FakeChatClient.Answering("right", "R");
        services.AddMetaModel()
            .AddCandidate("left", left)
            .AddCandidate("right", right)
            .UseTaskFeatures()
            .UseBanditPolicy(o =>
            {
                o.Exploration = 0.3;
                o.CostWeight = 0;
            });
        await using ServiceProvider provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();
        var feedback = provider.GetRequiredService<IRoutingFeedback>();

        // The same words on every request: only the task label tells which candidate answers well.
        for (int i = 0; i < 200; i++)
        {
            string task = i % 2 == 0 ? "extract" : "translate";
            RoutingInfo info = (await client.GetResponseAsync(Chat.Prompt("Handle this text."), ForTask(task))).GetRoutingInfo()!;
            bool good = (task == "extract") == (info.CandidateId == "left");
            feedback.TryReportQuality(info.DecisionId, good ? 1 : 0).Should().BeTrue();
        }

        int leftCalls = left.Calls;
        int rightCalls = right.Calls;
        var last = new List<(string Task, string Candidate)>();
        foreach (string task in new[] { "extract", "translate", "extract", "translate" })
        {
            RoutingInfo info = (await client.GetResponseAsync(Chat.Prompt("Handle this text."), ForTask(task))).GetRoutingInfo()!;
            last.Add((task, info.CandidateId));
        }

        last.Should().Equal(("extract", "left"), ("translate", "right"), ("extract", "left"), ("translate", "right"));
        (leftCalls + rightCalls).Should().Be(200);
        left.ReceivedOptions.Concat(right.ReceivedOptions)
            .Should().OnlyContain(o => o == null
                || o.AdditionalProperties == null
                || !o.AdditionalProperties.ContainsKey(MetaModelPropertyNames.Task));
    }

    [Fact]
    public async Task WarmStart_WithTheMetaModelsOwnFeaturizer_RoutesEachTaskToItsBestCandidateFromTheFirstRequest()
    {
        var services = new ServiceCollection();
        services.AddMetaModel()
            .AddCandidate("left", FakeChatClient.Answering("left", "L"))
            .AddCandidate("right", FakeChatClient.Answering("right", "R"))
            .UseTaskFeatures()
            .UseBanditPolicy(o => o.CostWeight = 0);
        await using ServiceProvider provider = services.BuildServiceProvider();
        var metaModel = provider.GetRequiredService<MetaModelChatClient>();
        var bandit = (BanditRoutingPolicy)metaModel.Policy;
        IPromptFeaturizer featurizer = metaModel.Featurizer!;
        var history = new List<BanditHistoryRecord>();
        foreach (string task in new[] { "extract", "translate" })
        {
            for (int i = 0; i < 30; i++)
            {
                var features = new float[featurizer.Dimension];
                await featurizer.FeaturizeAsync(Chat.Prompt($"Handle text number {i}."), task, features);
                history.Add(new BanditHistoryRecord(features, "left", task == "extract" ? 1 : 0, 0.001m, 10));
                history.Add(new BanditHistoryRecord(features, "right", task == "extract" ? 0 : 1, 0.001m, 10));
            }
        }

        bandit.WarmStart(history);

        featurizer.Dimension.Should().Be(HashingPromptFeaturizer.DefaultDimension + TaskFeaturizer.DefaultTaskSlots);
        (await metaModel.GetResponseAsync(Chat.Prompt("Handle this."), ForTask("extract"))).GetRoutingInfo()!.CandidateId
            .Should().Be("left");
        (await metaModel.GetResponseAsync(Chat.Prompt("Handle this."), ForTask("translate"))).GetRoutingInfo()!.CandidateId
            .Should().Be("right");
    }

    [Fact]
    public async Task Snapshot_RecordsTheMetaModelsFeatures_AndAMetaModelWithOtherFeaturesOfTheSameSizeRefusesIt()
    {
        static async Task<ServiceProvider> Build(IPromptFeaturizer? featurizer)
        {
            var services = new ServiceCollection();
            MetaModelBuilder builder = services.AddMetaModel()
                .AddCandidate("left", FakeChatClient.Answering("left", "L"))
                .AddCandidate("right", FakeChatClient.Answering("right", "R"))
                .UseBanditPolicy();
            if (featurizer is not null)
            {
                builder.UseFeaturizer(featurizer);
            }

            ServiceProvider provider = services.BuildServiceProvider();
            _ = await provider.GetRequiredService<MetaModelChatClient>().GetResponseAsync(Chat.Prompt("Warm up."));
            return provider;
        }

        static ContextualBanditScorer Scorer(ServiceProvider provider) =>
            ((BanditRoutingPolicy)provider.GetRequiredService<MetaModelChatClient>().Policy).Scorer;

        await using ServiceProvider hashing = await Build(null);
        await using ServiceProvider sameFeatures = await Build(null);
        await using ServiceProvider otherFeatures =
            await Build(new Features.FeatureSchemaTests.ConstantFeaturizer(HashingPromptFeaturizer.DefaultDimension));
        var snapshot = new MemoryStream();
        Scorer(hashing).SaveSnapshot(snapshot);

        Scorer(hashing).FeatureSchema.Should().Be(new HashingPromptFeaturizer().FeatureSchema);
        Action intoSame = () => Scorer(sameFeatures).LoadSnapshot(new MemoryStream(snapshot.ToArray()));
        Action intoOther = () => Scorer(otherFeatures).LoadSnapshot(new MemoryStream(snapshot.ToArray()));
        intoSame.Should().NotThrow();
        intoOther.Should().Throw<InvalidDataException>()
            .WithMessage($"*({new HashingPromptFeaturizer().FeatureSchema}) than this scorer's (*ConstantFeaturizer, d = 64)*");
    }

    [Fact]
    public void Initialize_WithAFeatureSchemaOverTheLimit_IsAConfigurationProblem()
    {
        var policy = new BanditRoutingPolicy();
        var featurizer = new LongSchemaFeaturizer();

        policy.Initialize(s_candidates, featurizer).Should().ContainSingle()
            .Which.Should().Contain("feature schema has 5000 characters");
    }

    [Fact]
    public void WarmStart_WithATargetBelowEveryCost_CapsTheCalibratedCostWeight()
    {
        BanditRoutingPolicy policy = Initialized(
            new BanditRoutingOptions { Exploration = 0, TargetCostPerRequestUsd = 1e-12 });
        float[] features = [1, 0];

        policy.WarmStart([new(features, "per-token", 1, 0.004m, 100), new(features, "flat", 0.5, 0.0002m, 100)]);

        policy.CurrentCostWeight.Should().BeGreaterThan(1).And.BeLessThanOrEqualTo(1_000);
        Choose(policy, inputTokens: 100).Should().Be("flat");
    }

    [Fact]
    public async Task TaskEntry_NullOrAJsonString_IsReadAndNeverReachesTheCandidate()
    {
        var services = new ServiceCollection();
        var candidate = FakeChatClient.Answering("a", "x");
        services.AddMetaModel().AddCandidate("A", candidate).UseTaskFeatures();
        await using ServiceProvider provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();

        await client.GetResponseAsync(
            Chat.Prompt("x"),
            new ChatOptions { AdditionalProperties = new() { [MetaModelPropertyNames.Task] = null } });
        await client.GetResponseAsync(
            Chat.Prompt("x"),
            new ChatOptions
            {
                AdditionalProperties = new()
                {
                    [MetaModelPropertyNames.Task] = System.Text.Json.JsonDocument.Parse("\"sql\"").RootElement,
                },
            });

        candidate.ReceivedOptions.Should().HaveCount(2).And.OnlyContain(o =>
            o == null || o.AdditionalProperties == null || !o.AdditionalProperties.ContainsKey(MetaModelPropertyNames.Task));
    }

    [Fact]
    public async Task TaskEntry_ThatIsNotAString_IsRefusedWithTheEntryName()
    {
        var services = new ServiceCollection();
        services.AddMetaModel().AddCandidate("A", FakeChatClient.Answering("a", "x")).UseTaskFeatures();
        await using ServiceProvider provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();
        var options = new ChatOptions { AdditionalProperties = new() { [MetaModelPropertyNames.Task] = 42 } };

        Func<Task> call = () => client.GetResponseAsync(Chat.Prompt("x"), options);

        (await call.Should().ThrowAsync<ArgumentException>()).WithMessage("*metamodel.task*string*Int32*");
    }

    [Fact]
    public void WarmStart_WithBadFeatures_ListsThemByRecordNumberWithTheOtherProblems()
    {
        // Bad features were found only after the other checks passed, by the scorer, which counts from 0: the first
        // refusal named no feature problem, and the next one named the record before the bad one.
        BanditRoutingPolicy policy = Initialized(new BanditRoutingOptions { Exploration = 0, CostWeight = 0 });
        BanditHistoryRecord[] history =
        [
            new(new float[] { 1, 0 }, "per-token", 1, 0.001m, 10),
            new(new float[] { 1, 0, 0 }, "per-token", 1, 0.001m, 10),
            new(new float[] { 1, float.NaN }, "flat", 1, 0.001m, 10),
            new(new float[] { 1, 0 }, "nobody", 1, 0.001m, 10),
            new(new float[] { 1, 2e6f }, "flat", 1, 0.001m, 10),
        ];

        FluentActions.Invoking(() => policy.WarmStart(history))
            .Should().Throw<ArgumentException>()
            .WithMessage(
                "*record 2 has 3 features; the featurizer writes 2*record 3 has feature 1 = NaN*" +
                "record 4 names unknown candidate 'nobody'*record 5 has feature 1 = 2000000*within ±1E+6*");
        policy.Scorer.GetUpdateCount(0).Should().Be(0);
        policy.Scorer.GetUpdateCount(1).Should().Be(0);
    }

    [Fact]
    public void Feedback_WithFeaturesTooLargeForTheModel_IsRefused_AndTheCandidateKeepsWhatItLearned()
    {
        // A custom featurizer's 1e20 used to be learned: its square overflows single precision, and the candidate's
        // quality model was NaN from then on.
        BanditRoutingPolicy policy = Initialized(new BanditRoutingOptions { Exploration = 0, CostWeight = 0 });
        for (int i = 0; i < 10; i++)
        {
            policy.ObserveFeedback(new QualityFeedback("d", "per-token", new float[] { 1, 0 }, 1, 0m, TimeSpan.Zero));
        }

        FluentActions.Invoking(() => policy.ObserveFeedback(
                new QualityFeedback("d", "per-token", new float[] { 1, 1e20f }, 0, 0m, TimeSpan.Zero)))
            .Should().Throw<ArgumentException>().WithMessage("*within ±1E+6*");

        Choose(policy, inputTokens: 100).Should().Be("per-token");
        var means = new float[2];
        var widths = new float[2];
        policy.Scorer.Estimate([1, 0], [0, 1], means, widths);
        means[0].Should().BeApproximately(0.5f * 10 / 11, 1e-4f, "ten rewards of 0.5 over a prior of 1");
    }

    [Fact]
    public void Options_RidgePriorBeyondSinglePrecision_IsReported()
    {
        new BanditRoutingOptions { RidgePrior = 1e-50 }.Validate()
            .Should().ContainSingle().Which.Should().Be("RidgePrior must be from 1E-6 to 1E+6 (was 1E-50).");
        new BanditRoutingOptions { RidgePrior = 1e7 }.Validate().Should().ContainSingle();
        new BanditRoutingOptions { RidgePrior = 1e-6 }.Validate().Should().BeEmpty();
    }

    [Fact]
    public void Options_UnknownStrategy_IsReportedWithTheOtherProblems()
    {
        // An undefined strategy used to pass validation and fail only when a metamodel first initialized the policy.
        IReadOnlyList<string> problems =
            new BanditRoutingOptions { Strategy = (ExplorationStrategy)42, Exploration = -1 }.Validate();

        problems.Should().HaveCount(2);
        problems.Should().Contain(p => p.StartsWith("Strategy must be", StringComparison.Ordinal) && p.Contains("42"));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-0.1)]
    [InlineData(50)]
    public void Feedback_WithAQualityOutsideZeroToOne_IsRefused_AndNothingIsLearned(double quality)
    {
        BanditRoutingPolicy policy = Initialized(new BanditRoutingOptions { Exploration = 0, CostWeight = 0 });

        FluentActions.Invoking(() => policy.ObserveFeedback(
                new QualityFeedback("d", "per-token", new float[] { 1, 0 }, quality, 0m, TimeSpan.Zero)))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage($"*'per-token' has a quality of {quality}; it must be from 0 to 1*");
        policy.Scorer.GetUpdateCount(0).Should().Be(0);
    }

    [Fact]
    public void Feedback_NamingNoCandidate_IsRefusedWithAnErrorThatSaysSo()
    {
        BanditRoutingPolicy policy = Initialized(new BanditRoutingOptions());

        FluentActions.Invoking(() => policy.ObserveFeedback(
                new QualityFeedback("d", null!, new float[] { 1, 0 }, 0.5, 0m, TimeSpan.Zero)))
            .Should().Throw<ArgumentException>()
            .WithMessage("No candidate was named*");
    }

    [Fact]
    public void Observe_AnAttemptNamingNoCandidate_IsIgnored()
    {
        BanditRoutingPolicy policy = Initialized(new BanditRoutingOptions());

        FluentActions.Invoking(() => Observe(policy, null!, 0.001m, 100)).Should().NotThrow();
    }

    [Fact]
    public void Observe_ANegativeCost_NeitherSkewsTheCostLineNorMovesThePacedCostWeight()
    {
        BanditRoutingPolicy policy = Initialized(
            new BanditRoutingOptions { Exploration = 0, CostWeight = 1, TargetCostPerRequestUsd = 0.005 });
        for (int tokens = 100; tokens <= 1_000; tokens += 25)
        {
            Observe(policy, "per-token", tokens * 0.00001m, tokens);
            Observe(policy, "flat", 0.005m, tokens);
        }

        double paced = policy.CurrentCostWeight;
        for (int i = 0; i < 100; i++)
        {
            Observe(policy, "flat", -1m, 1_000);
        }

        policy.CurrentCostWeight.Should().Be(paced);
        Choose(policy, inputTokens: 100).Should().Be("per-token", "a refund reported as a cost does not make 'flat' free");
    }

    [Fact]
    public void Observe_ANegativeDuration_TeachesNoLatency()
    {
        BanditRoutingPolicy policy = Initialized(
            new BanditRoutingOptions { Exploration = 0, CostWeight = 0, LatencyWeight = 1 });
        ObserveTimed(policy, "flat", TimeSpan.FromSeconds(1));
        ObserveTimed(policy, "per-token", TimeSpan.FromSeconds(2));

        ObserveTimed(policy, "per-token", TimeSpan.FromHours(-1_000));

        Choose(policy, inputTokens: 100).Should().Be("flat", "a clock that stepped back does not make 'per-token' fast");
    }

    [Fact]
    public void Decide_WithNoEligibleCandidates_IsRefusedWithAnErrorThatSaysSo()
    {
        BanditRoutingPolicy policy = Initialized(new BanditRoutingOptions());

        FluentActions.Invoking(() => Decide(policy, [], new float[] { 1, 0 }))
            .Should().Throw<ArgumentException>()
            .WithMessage("The request has no eligible candidates*");
    }

    private static void ObserveTimed(BanditRoutingPolicy policy, string candidate, TimeSpan duration) =>
        policy.Observe(new AttemptObservation(
            "d", candidate, new float[] { 1, 0 }, true, null, duration, null, null, 0m, false));

    private static ChatOptions ForTask(string task) => new ChatOptions().WithTask(task);

    private sealed class LongSchemaFeaturizer : IPromptFeaturizer
    {
        public int Dimension => 2;

        public string FeatureSchema => new('s', 5_000);

        public ValueTask FeaturizeAsync(
            IEnumerable<ChatMessage> messages,
            Memory<float> destination,
            CancellationToken cancellationToken = default) => default;
    }

    private static BanditRoutingPolicy Initialized(BanditRoutingOptions options)
    {
        var policy = new BanditRoutingPolicy(options);
        policy.Initialize(s_candidates, featureDimension: 2).Should().BeEmpty();
        return policy;
    }

    private static void Observe(BanditRoutingPolicy policy, string candidate, decimal cost, int inputTokens) =>
        policy.Observe(new AttemptObservation(
            "d",
            candidate,
            new float[] { 1, 0 },
            true,
            null,
            TimeSpan.Zero,
            null,
            null,
            cost,
            false)
        {
            EstimatedInputTokens = inputTokens,
        });

    private static string Decide(BanditRoutingPolicy policy, IReadOnlyList<IModelCandidate> candidates, float[] features) =>
        policy.Decide(new RoutingRequest("d", Chat.Prompt("x"), null, features, candidates, 100)).Ranked[0].Candidate.Id;

    private static string Choose(BanditRoutingPolicy policy, int inputTokens) =>
        policy.Decide(new RoutingRequest("d", Chat.Prompt("x"), null, new float[] { 1, 0 }, s_candidates, inputTokens))
            .Ranked[0].Candidate.Id;
}

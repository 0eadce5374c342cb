using System.Text;
using MetaModel.Candidates;
using MetaModel.Compliance;
using MetaModel.DependencyInjection;
using MetaModel.Features;
using MetaModel.Policies;
using MetaModel.Routing;
using MetaModel.Testing;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MetaModel.Tests.DependencyInjection;

public sealed class AddMetaModelTests
{
    [Fact]
    public async Task AddMetaModel_RegistersChatClientKeyedAndUnkeyed_WithInstancesFactoriesAndKeyedClients()
    {
        var services = new ServiceCollection();
        var recorder = new InMemoryComplianceRecorder();
        services.AddKeyedSingleton<IChatClient>("keyed-b", FakeChatClient.Answering("b", "from b"));
        services.AddMetaModel()
            .AddCandidate(new ModelCandidate("A", FakeChatClient.Failing("a", () => new InvalidOperationException("down"))))
            .AddKeyedCandidate("B", "keyed-b", c => c.InputPricePerMillion = 1)
            .AddCandidate("C", _ => FakeChatClient.Answering("c", "from c"))
            .UseRecorder(recorder);
        using ServiceProvider provider = services.BuildServiceProvider();

        IChatClient client = provider.GetRequiredService<IChatClient>();
        IChatClient keyed = provider.GetRequiredKeyedService<IChatClient>(MetaModelOptions.DefaultName);
        var response = await client.GetResponseAsync(Chat.Prompt("x"));

        keyed.Should().BeSameAs(client);
        provider.GetRequiredService<IRoutingFeedback>().Should().BeSameAs(client);
        response.Text.Should().Be("from b");
        var metaModel = provider.GetRequiredService<MetaModelChatClient>();
        metaModel.Candidates.Select(c => c.Id).Should().Equal("A", "B", "C");
        metaModel.Candidates[1].Pricing.InputPerMillion.Should().Be(1m);
        recorder.Decisions.Should().ContainSingle();
    }

    [Fact]
    public async Task AddMetaModel_TwoNamedMetaModels_AreSeparate()
    {
        var services = new ServiceCollection();
        services.AddMetaModel("first").AddCandidate("A", FakeChatClient.Answering("a", "first"));
        services.AddMetaModel("second").AddCandidate("B", FakeChatClient.Answering("b", "second"));
        using ServiceProvider provider = services.BuildServiceProvider();

        (await provider.GetRequiredService<IChatClient>().GetResponseAsync(Chat.Prompt("x"))).Text.Should().Be("first");
        (await provider.GetRequiredKeyedService<IChatClient>("second").GetResponseAsync(Chat.Prompt("x"))).Text
            .Should().Be("second");
    }

    [Fact]
    public async Task Configuration_BindsCandidatesPricesTagsConstraintsAndPolicy()
    {
        IConfiguration configuration = Json("""
        {
          "MetaModel": {
            "Name": "router",
            "MaxAttemptsPerRequest": 2,
            "Constraints": [ { "Tag": "region", "Require": [ "eu" ] } ],
            "TenantConstraints": { "acme": [ { "Tag": "provider", "Forbid": [ "p1" ] } ] },
            "Policy": { "Name": "weighted", "Weights": { "eu-1": 1, "eu-2": 0 }, "Seed": 5 },
            "Candidates": [
              { "Id": "us-1", "ClientKey": "k1", "InputPricePerMillion": 1, "OutputPricePerMillion": 2,
                "Tags": { "region": "us" } },
              { "Id": "eu-1", "ClientKey": "k1", "Capabilities": "Tools, Streaming", "ContextWindow": 8000,
                "Tags": { "region": "eu", "provider": "p1" } },
              { "Id": "eu-2", "ClientKey": "k2", "Tags": { "region": "eu", "provider": "p2" } }
            ]
          }
        }
        """);
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("k1", FakeChatClient.Answering("one", "from k1"));
        services.AddKeyedSingleton<IChatClient>("k2", FakeChatClient.Answering("two", "from k2"));
        services.AddMetaModel(configuration.GetSection("MetaModel"));
        using ServiceProvider provider = services.BuildServiceProvider();

        var metaModel = provider.GetRequiredKeyedService<MetaModelChatClient>("router");
        var plain = await metaModel.GetResponseAsync(Chat.Prompt("x"));
        var acme = await metaModel.GetResponseAsync(Chat.Prompt("x"), new ChatOptions().WithTenant("acme"));

        metaModel.Options.MaxAttemptsPerRequest.Should().Be(2);
        metaModel.Policy.Should().BeOfType<WeightedRoutingPolicy>();
        metaModel.Candidates[0].Pricing.Should().Be(new ModelPricing(1m, 2m));
        metaModel.Candidates[1].Capabilities.Should().Be(ModelCapabilities.Tools | ModelCapabilities.Streaming);
        metaModel.Candidates[1].ContextWindow.Should().Be(8000);
        plain.GetRoutingInfo()!.CandidateId.Should().Be("eu-1");
        acme.GetRoutingInfo()!.CandidateId.Should().Be("eu-2");
    }

    [Fact]
    public void Configuration_CostAwareSettings_AreBound()
    {
        IConfiguration configuration = Json("""
        { "Policy": { "Name": "Cost-Aware", "Settings": { "CostWeight": 0.9, "Clusters": 3 } },
          "Candidates": [ { "Id": "a" } ] }
        """);
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("a", new FakeChatClient());
        services.AddMetaModel(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        var policy = provider.GetRequiredService<MetaModelChatClient>().Policy;

        policy.Should().BeOfType<CostAwareRoutingPolicy>();
        policy.DescribeParameters()["costWeight"].Should().Be("0.9");
        policy.DescribeParameters()["clusters"].Should().Be("3");
    }

    [Fact]
    public void Configuration_MisspeltCandidateSetting_IsNamed_WithTheSettingsThatExist()
    {
        IConfiguration configuration = Json("""
        { "Candidates": [ { "Id": "a", "InputPricePerMilion": 1 }, { "Id": "b", "ClientKey": "b", "Regoin": "eu", "Pirce": 2 } ] }
        """);
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("a", new FakeChatClient());
        services.AddKeyedSingleton<IChatClient>("b", new FakeChatClient());
        services.AddMetaModel(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        string message = FluentActions.Invoking(() => provider.GetRequiredService<MetaModelChatClient>())
            .Should().Throw<MetaModelConfigurationException>().Which.Message;

        message.Should().Contain("Candidates:0: unknown setting 'InputPricePerMilion'")
            .And.Contain("Candidates:1: unknown settings 'Pirce', 'Regoin'")
            .And.Contain("InputPricePerMillion, OutputPricePerMillion")
            .And.NotContain("BinderOptions");
    }

    [Fact]
    public void Configuration_TaskFeatureSlots_AddTheLabelBlockToTheBanditsFeatures()
    {
        IConfiguration configuration = Json("""
        { "Policy": { "Name": "bandit" }, "TaskFeatureSlots": 16, "Candidates": [ { "Id": "a" } ] }
        """);
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("a", new FakeChatClient());
        services.AddMetaModel(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        var policy = (BanditRoutingPolicy)provider.GetRequiredService<MetaModelChatClient>().Policy;

        policy.Scorer.Dimension.Should().Be(HashingPromptFeaturizer.DefaultDimension + 16);
    }

    [Fact]
    public void Configuration_InvalidBanditSettings_AreReportedOneProblemEach()
    {
        IConfiguration configuration = Json("""
        { "Policy": { "Name": "bandit", "Settings": { "Exploration": -1, "ForgettingFactor": 0, "PriorQuality": 2 } },
          "Candidates": [ { "Id": "a" } ] }
        """);
        MetaModelConfigurationException error = ConfigurationErrorWithOneCandidate(configuration);

        error.Problems.Should().HaveCount(3)
            .And.OnlyContain(p => p.StartsWith("The bandit policy's settings: ", StringComparison.Ordinal));
        error.Message.Should().Contain("Exploration").And.Contain("ForgettingFactor").And.Contain("PriorQuality");
    }

    [Theory]
    [InlineData("bandit", "LatencyWeight", "PacingStepSize", "PacingStepSize must be positive (was -1)")]
    [InlineData("cost-aware", "Clusters", "PriorStrength", "PriorStrength must be positive (was -1)")]
    public void Configuration_PolicySettings_UnknownNamesAndEveryUnreadableValueAreReportedTogether(
        string policy,
        string unreadable,
        string invalid,
        string invalidProblem)
    {
        // A misspelt setting ("Exploraton") was ignored silently, and the first value that could not be read hid
        // every other problem of the settings.
        IConfiguration configuration = Json($$"""
        { "Policy": { "Name": "{{policy}}", "Settings": {
            "CostWeight": "abc", "Exploraton": 0.1, "{{unreadable}}": "1,5", "{{invalid}}": -1 } },
          "Candidates": [ { "Id": "a" } ] }
        """);
        MetaModelConfigurationException error = ConfigurationErrorWithOneCandidate(configuration);

        error.Problems.Should().HaveCount(4)
            .And.OnlyContain(p => p.StartsWith($"The {policy} policy's settings: ", StringComparison.Ordinal));
        error.Message.Should().Contain("'abc'").And.Contain("Policy:Settings:CostWeight")
            .And.Contain("unknown setting 'Exploraton'")
            .And.Contain("'1,5'").And.Contain($"Policy:Settings:{unreadable}")
            .And.Contain(invalidProblem);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-5)]
    [InlineData(100_000)]
    public void Configuration_TaskFeatureSlotsOutOfRange_IsReported(int slots)
    {
        IConfiguration configuration = Json($$"""
        { "TaskFeatureSlots": {{slots}}, "Candidates": [ { "Id": "a" } ] }
        """);
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("a", new FakeChatClient());
        services.AddMetaModel(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IChatClient>())
            .Should().Throw<MetaModelConfigurationException>()
            .WithMessage($"*TaskFeatureSlots must be 0 (off) or from 2 to 1024 (was {slots})*");
    }

    [Fact]
    public void TaskFeatures_OnAFeaturizerThatAlreadyEncodesTheLabel_IsReported()
    {
        var services = new ServiceCollection();
        services.AddMetaModel()
            .AddCandidate("a", new FakeChatClient())
            .UseFeaturizer(new TaskFeaturizer(new HashingPromptFeaturizer()))
            .UseTaskFeatures();
        using ServiceProvider provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IChatClient>())
            .Should().Throw<MetaModelConfigurationException>()
            .WithMessage("*already encodes the task label*");
    }

    [Fact]
    public void Bandit_WithTooManyFeaturesForFullMode_IsReportedWithTheFix()
    {
        var services = new ServiceCollection();
        services.AddMetaModel()
            .AddCandidate("a", new FakeChatClient())
            .UseFeaturizer(new HashingPromptFeaturizer(5_000))
            .UseBanditPolicy();
        using ServiceProvider provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IChatClient>())
            .Should().Throw<MetaModelConfigurationException>()
            .WithMessage("*5000 features in full*ReducedDimension*");
    }

    [Fact]
    public void Validation_ReportsEveryProblemAtOnce()
    {
        IConfiguration configuration = Json("""
        {
          "Policy": { "Name": "smartest" },
          "Candidates": [
            { "Id": "a", "InputPricePerMillion": -1 },
            { "Id": "a", "ClientKey": "b" },
            { "Id": "c", "ClientKey": "missing" },
            { "Id": "d", "Capabilities": "Telepathy" },
            { "InputPricePerMillion": 1 }
          ],
          "Constraints": [ { "Tag": "region" } ],
          "Unexpected": 1
        }
        """);
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("a", new FakeChatClient());
        services.AddKeyedSingleton<IChatClient>("b", new FakeChatClient());
        services.AddMetaModel(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        Action act = () => provider.GetRequiredService<IChatClient>();

        var error = act.Should().Throw<MetaModelConfigurationException>().Which;
        string message = error.Message;
        message.Should().Contain("Unknown policy 'smartest'").And.Contain("cost-aware");
        message.Should().Contain("'a' has a negative price");
        message.Should().Contain("'a' is used more than once");
        message.Should().Contain("key 'missing'");
        message.Should().Contain("Telepathy");
        message.Should().Contain("Candidates:4 has no Id");
        message.Should().Contain("exactly one of Require or Forbid");
        message.Should().Contain("unknown setting 'Unexpected'");
        error.Problems.Should().HaveCountGreaterThanOrEqualTo(8);
    }

    [Fact]
    public void Validation_NoCandidates_IsReported()
    {
        var services = new ServiceCollection();
        services.AddMetaModel();
        using ServiceProvider provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IChatClient>())
            .Should().Throw<MetaModelConfigurationException>().WithMessage("*No candidates*");
    }

    [Fact]
    public void Validation_WeightForUnknownCandidate_IsReported()
    {
        var services = new ServiceCollection();
        services.AddMetaModel()
            .AddCandidate("a", new FakeChatClient())
            .UseWeightedPolicy(new Dictionary<string, double> { ["a"] = 1, ["ghost"] = 1 });
        using ServiceProvider provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IChatClient>())
            .Should().Throw<MetaModelConfigurationException>().WithMessage("*'ghost'*not a candidate*");
    }

    [Fact]
    public async Task Host_InvalidConfiguration_FailsAtStartWithEveryProblem()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMetaModel()
            .AddCandidate("a", new FakeChatClient(), c => c.OutputPricePerMillion = -2)
            .AddCandidate("a", new FakeChatClient());
        using IHost host = builder.Build();

        Func<Task> act = () => host.StartAsync();

        var error = (await act.Should().ThrowAsync<OptionsValidationException>()).Which;
        error.Failures.Should().ContainSingle("the problems are one list, one per line");
        error.Message.Should().StartWith("MetaModel 'metamodel': The MetaModel configuration has 2 problems:")
            .And.Contain(Environment.NewLine + "  - ").And.Contain("negative price").And.Contain("more than once");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Host_AppsOwnPlainChatClient_IsReportedAtStart_WithTheKeyedWayToTheMetaModel(bool registeredFirst)
    {
        var log = new ListLoggerProvider();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(log);
        if (registeredFirst)
        {
            builder.Services.AddSingleton<IChatClient>(new FakeChatClient("own"));
        }

        builder.Services.AddMetaModel().AddCandidate("a", new FakeChatClient());
        if (!registeredFirst)
        {
            builder.Services.AddSingleton<IChatClient>(new FakeChatClient("own"));
        }

        using IHost host = builder.Build();
        await host.StartAsync();

        host.Services.GetRequiredService<IChatClient>().Should().BeOfType<FakeChatClient>();
        log.Messages.Should().ContainSingle(m => m.Contains("not routed by MetaModel 'metamodel'"))
            .Which.Should().Contain("FakeChatClient").And.Contain("GetRequiredKeyedService<IChatClient>(\"metamodel\")");
        await host.StopAsync();
    }

    [Fact]
    public async Task Host_WithOnlyMetaModels_WarnsOfNothing()
    {
        var log = new ListLoggerProvider();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(log);
        builder.Services.AddMetaModel().AddCandidate("a", new FakeChatClient());
        builder.Services.AddMetaModel("second").AddCandidate("b", new FakeChatClient());

        using IHost host = builder.Build();
        await host.StartAsync();

        host.Services.GetRequiredService<IChatClient>().Should().BeOfType<MetaModelChatClient>();
        log.Messages.Should().NotContain(m => m.Contains("not routed"));
        await host.StopAsync();
    }

    [Fact]
    public void AddCandidate_SettingsFromCode_AreKept()
    {
        var services = new ServiceCollection();
        services.AddMetaModel(b => b.AddCandidate("eu", new FakeChatClient(), c =>
        {
            c.ContextWindow = 32_000;
            c.Capabilities = ModelCapabilities.Streaming;
            c.Tags["region"] = "eu";
            c.Energy = new EnergyProfile(0.1, 0.3, "test");
        }));
        using ServiceProvider provider = services.BuildServiceProvider();

        IModelCandidate candidate = provider.GetRequiredService<MetaModelChatClient>().Candidates.Single();

        candidate.ContextWindow.Should().Be(32_000);
        candidate.Capabilities.Should().Be(ModelCapabilities.Streaming);
        candidate.Tags["region"].Should().Be("eu");
        candidate.Energy!.WattHoursFor(1000, 1000).Should().BeApproximately(0.4, 1e-12);
    }

    [Fact]
    public void Configuration_BindsFailoverLimitsAndBudgets()
    {
        IConfiguration configuration = Json("""
        {
          "MetaModel": {
            "Candidates": [ { "Id": "A", "ClientKey": "k" }, { "Id": "B", "ClientKey": "k" } ],
            "Failover": {
              "MaxRetriesPerCandidate": 2,
              "AttemptTimeout": "00:00:30",
              "MaxWaitForAvailability": "00:00:02",
              "IncompleteStreams": "FinishAsIncomplete",
              "Candidates": { "A": { "RequestsPerMinute": 60, "TokensPerMinute": 90000, "Fallbacks": [ "B" ] } }
            },
            "Budgets": [ { "TenantId": "acme", "Period": "Month", "LimitUsd": 12.5 } ],
            "ReservedOutputTokens": 512
          }
        }
        """);
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("k", FakeChatClient.Answering("k", "x"));
        services.AddMetaModel(configuration.GetSection("MetaModel"));
        using ServiceProvider provider = services.BuildServiceProvider();

        MetaModelOptions options = provider.GetRequiredService<MetaModelChatClient>().Options;

        options.Failover.MaxRetriesPerCandidate.Should().Be(2);
        options.Failover.AttemptTimeout.Should().Be(TimeSpan.FromSeconds(30));
        options.Failover.MaxWaitForAvailability.Should().Be(TimeSpan.FromSeconds(2));
        options.Failover.IncompleteStreams.Should().Be(MetaModel.Resilience.IncompleteStreamHandling.FinishAsIncomplete);
        options.Failover.Candidates["A"].RequestsPerMinute.Should().Be(60);
        options.Failover.Candidates["A"].Fallbacks.Should().Equal("B");
        options.Budgets.Should().Equal(new MetaModel.Costs.BudgetLimit("acme", MetaModel.Costs.BudgetPeriod.Month, 12.5m));
        options.ReservedOutputTokens.Should().Be(512);
    }

    [Fact]
    public void Configuration_CyclicFallbacks_AreRejectedWhenTheHostStarts()
    {
        IConfiguration configuration = Json("""
        {
          "MetaModel": {
            "Candidates": [ { "Id": "A", "ClientKey": "k" }, { "Id": "B", "ClientKey": "k" } ],
            "Failover": { "Candidates": { "A": { "Fallbacks": [ "B" ] }, "B": { "Fallbacks": [ "A" ] } } }
          }
        }
        """);
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("k", FakeChatClient.Answering("k", "x"));
        services.AddMetaModel(configuration.GetSection("MetaModel"));
        using ServiceProvider provider = services.BuildServiceProvider();

        Action resolve = () => provider.GetRequiredService<MetaModelChatClient>();

        resolve.Should().Throw<MetaModelConfigurationException>().WithMessage("*A -> B -> A*cyclic*");
    }

    /// <summary>Builds a metamodel from <paramref name="configuration"/> with candidate "a" registered, and returns
    /// the configuration error its start must report.</summary>
    private static MetaModelConfigurationException ConfigurationErrorWithOneCandidate(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("a", new FakeChatClient());
        services.AddMetaModel(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();
        return FluentActions.Invoking(() => provider.GetRequiredService<IChatClient>())
            .Should().Throw<MetaModelConfigurationException>().Which;
    }

    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
}

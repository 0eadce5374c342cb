using System.Text;
using MetaModel.Candidates;
using MetaModel.DependencyInjection;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MetaModel.Tests.DependencyInjection;

/// <summary>Configuration errors must all be reported at once, each naming its setting.</summary>
public sealed class ConfigurationErrorTests
{
    [Fact]
    public void Failover_SeveralUnreadableValues_AreEachNamed()
    {
        MetaModelConfigurationException error = ErrorOf("""
            {
              "Candidates": [ { "Id": "a" } ],
              "Failover": {
                "MaxRetriesPerCandidate": "two",
                "AttemptTimeout": "soon",
                "FailureThreshold": "x",
                "Candidates": { "a": { "RequestsPerMinute": "many", "TokensPerMinute": "lots" } }
              }
            }
            """);

        error.Problems.Should().Contain(p => p.Contains("Failover:MaxRetriesPerCandidate") && p.Contains("'two'"));
        error.Problems.Should().Contain(p => p.Contains("Failover:AttemptTimeout") && p.Contains("'soon'"));
        error.Problems.Should().Contain(p => p.Contains("Failover:FailureThreshold") && p.Contains("'x'"));
        error.Problems.Should().Contain(p => p.Contains("Failover:Candidates:a:RequestsPerMinute") && p.Contains("'many'"));
        error.Problems.Should().Contain(p => p.Contains("Failover:Candidates:a:TokensPerMinute") && p.Contains("'lots'"));
    }

    [Fact]
    public void Failover_UnknownSettingsAndUnreadableValues_AreReportedTogether()
    {
        MetaModelConfigurationException error = ErrorOf("""
            {
              "Candidates": [ { "Id": "a" } ],
              "Failover": { "AttemptTimout": "00:00:10", "BreakDuration": "forever" }
            }
            """);

        error.Problems.Should().Contain(p => p.Contains("'AttemptTimout'") && p.Contains("AttemptTimeout"));
        error.Problems.Should().Contain(p => p.Contains("Failover:BreakDuration") && p.Contains("'forever'"));
    }

    [Fact]
    public void Candidate_SeveralUnreadableValues_AreEachNamed()
    {
        MetaModelConfigurationException error = ErrorOf("""
            { "Candidates": [ { "Id": "a", "InputPricePerMillion": "cheap", "ContextWindow": "big" } ] }
            """);

        error.Problems.Should().Contain(p => p.Contains("Candidates:0:InputPricePerMillion") && p.Contains("'cheap'"));
        error.Problems.Should().Contain(p => p.Contains("Candidates:0:ContextWindow") && p.Contains("'big'"));
    }

    [Fact]
    public void Policy_UnknownSetting_IsNamed_RatherThanFallingBackToTheOrderedPolicy()
    {
        MetaModelConfigurationException error = ErrorOf("""
            { "Candidates": [ { "Id": "a" } ], "Policy": { "Nmae": "bandit" } }
            """);

        error.Problems.Should().ContainSingle(p => p.Contains("Policy") && p.Contains("'Nmae'"));
    }

    [Fact]
    public void Failover_DelaysLongerThanATimerCanWait_AreReportedAtStart()
    {
        MetaModelConfigurationException error = ErrorOf("""
            {
              "Candidates": [ { "Id": "a" } ],
              "Failover": { "AttemptTimeout": "100.00:00:00", "MaxWaitForAvailability": "60.00:00:00" }
            }
            """);

        error.Problems.Should().Contain(p => p.Contains("Failover.AttemptTimeout must be at most"));
        error.Problems.Should().Contain(p => p.Contains("Failover.MaxWaitForAvailability must be at most"));
    }

    [Theory]
    [InlineData("-0.1", "0.5")]
    [InlineData("0.1", "NaN")]
    [InlineData("Infinity", "0.5")]
    public void Candidate_EnergyProfileNotAFiniteNonNegativeNumber_IsNamed(string input, string output)
    {
        MetaModelConfigurationException error = ErrorOf($$"""
            {
              "Candidates": [ {
                "Id": "a",
                "Energy": { "WattHoursPerThousandInputTokens": "{{input}}", "WattHoursPerThousandOutputTokens": "{{output}}",
                            "Source": "test" }
              } ]
            }
            """);

        error.Problems.Should().ContainSingle().Which.Should()
            .Contain("'a'").And.Contain("energy profile").And.Contain(input).And.Contain(output);
    }

    [Theory]
    [InlineData("small", 0.01, 0.05)]
    [InlineData("Large", 0.12, 0.6)]
    public void Candidate_EnergyProfileByName_IsTheNamedProfile(string name, double input, double output)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(
            $$"""{ "Candidates": [ { "Id": "a", "Energy": "{{name}}" } ] }"""))).Build();
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("a", new FakeChatClient());
        services.AddMetaModel(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        EnergyProfile energy = provider.GetRequiredService<MetaModelChatClient>().Candidates.Single().Energy!;

        energy.Should().Be(MetaModel.Compliance.Energy.EnergyProfiles.FromName(name));
        (energy.WattHoursPerThousandInputTokens, energy.WattHoursPerThousandOutputTokens).Should().Be((input, output));
    }

    [Fact]
    public void Candidate_EnergyProfileOfAnUnknownName_IsNamedWithTheNamesThereAre()
    {
        MetaModelConfigurationException error = ErrorOf("""{ "Candidates": [ { "Id": "a", "Energy": "tiny" } ] }""");

        error.Problems.Should().Contain(p =>
            p.Contains("Candidates:0:Energy") && p.Contains("'tiny'") && p.Contains("small, medium or large"));
    }

    [Fact]
    public void Candidate_WhoseKeyedClientIsTheMetaModelItself_IsNamed_NotACircularDependencyOfTheContainer()
    {
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("a", new FakeChatClient());
        services.AddMetaModel("router").AddKeyedCandidate("a", "a").AddKeyedCandidate("loop", "router");
        using ServiceProvider provider = services.BuildServiceProvider();

        Action resolve = () => provider.GetRequiredKeyedService<MetaModelChatClient>("router");

        resolve.Should().Throw<MetaModelConfigurationException>()
            .Which.Problems.Should().ContainSingle().Which.Should().Contain("'loop'").And.Contain("this metamodel itself");
    }

    [Fact]
    public void Candidate_EnergyProfileFromCode_IsCheckedToo()
    {
        var services = new ServiceCollection();
        services.AddMetaModel(b => b.AddCandidate(
            new ModelCandidate("a", new FakeChatClient(), energy: new EnergyProfile(double.NaN, -1, "bad"))));
        using ServiceProvider provider = services.BuildServiceProvider();

        Action resolve = () => provider.GetRequiredService<MetaModelChatClient>();

        resolve.Should().Throw<MetaModelConfigurationException>().WithMessage("*'a'*energy profile*");
    }

    [Theory]
    [InlineData("Candidates")]
    [InlineData("Budgets")]
    [InlineData("Constraints")]
    [InlineData("TenantConstraints")]
    public void ListWrittenAsOneValue_IsNamed_RatherThanReadAsAnEmptyList(string list)
    {
        string json = list == "Candidates"
            ? """{ "Candidates": "a" }"""
            : $$"""{ "Candidates": [ { "Id": "a" } ], "{{list}}": "a" }""";

        MetaModelConfigurationException error = ErrorOf(json);

        error.Problems.Should().Contain($"Configuration {list}: expected a list of entries, not the value 'a'.");
    }

    [Fact]
    public void Candidate_PriceSoHighThatCostsOverflow_IsNamed()
    {
        // 1e25 USD per million tokens times 100,000 reported output tokens overflows a decimal: every answer of the
        // candidate failed with an OverflowException when its cost was computed.
        MetaModelConfigurationException error = ErrorOf("""
            { "Candidates": [ { "Id": "a", "InputPricePerMillion": 2.5, "OutputPricePerMillion": 1e25 } ] }
            """);

        error.Problems.Should().ContainSingle().Which.Should()
            .Contain("'a'").And.Contain("price above 1,000,000 USD per million tokens").And.Contain("10000000000000000000000000");
    }

    [Fact]
    public void CamelCaseKeys_AreReadLikeTheBinderReadsThem()
    {
        // The binder ignores the case of keys everywhere else, so camelCase JSON is common; here "candidates" and
        // "failover" were unknown settings.
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes("""
            {
              "maxAttemptsPerRequest": 2,
              "candidates": [ { "id": "a", "inputPricePerMillion": 1.5 } ],
              "failover": { "attemptTimeout": "00:00:30" },
              "policy": { "name": "cost-aware" }
            }
            """))).Build();
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("a", new FakeChatClient());
        services.AddMetaModel(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();

        MetaModelChatClient client = provider.GetRequiredService<MetaModelChatClient>();

        client.Options.MaxAttemptsPerRequest.Should().Be(2);
        client.Candidates.Single().Pricing.InputPerMillion.Should().Be(1.5m);
        client.Options.Failover.AttemptTimeout.Should().Be(TimeSpan.FromSeconds(30));
        client.Policy.Should().BeOfType<MetaModel.Policies.CostAwareRoutingPolicy>();
    }

    [Fact]
    public void AddMetaModel_TwiceWithTheSameName_IsReported_RatherThanTheFirstSilentlyDropped()
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes("""{ "Candidates": [ { "Id": "a" } ] }""")))
            .Build();
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("a", new FakeChatClient());
        services.AddMetaModel(configuration);
        services.AddMetaModel(b => b.AddCandidate("b", new FakeChatClient()));
        using ServiceProvider provider = services.BuildServiceProvider();

        Action resolve = () => provider.GetRequiredService<MetaModelChatClient>();

        resolve.Should().Throw<MetaModelConfigurationException>()
            .WithMessage("*'metamodel' is registered 2 times*")
            .Which.Problems.Should().ContainSingle();
    }

    [Fact]
    public async Task Host_AddMetaModelTwiceWithTheSameName_FailsAtStart()
    {
        Microsoft.Extensions.Hosting.HostApplicationBuilder builder =
            Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new());
        builder.Services.AddMetaModel("m").AddCandidate("a", new FakeChatClient());
        builder.Services.AddMetaModel("m").AddCandidate("b", new FakeChatClient());
        using Microsoft.Extensions.Hosting.IHost host = builder.Build();

        Func<Task> act = () => host.StartAsync();

        (await act.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>())
            .Which.Message.Should().Contain("'m' is registered 2 times");
    }

    private static MetaModelConfigurationException ErrorOf(string json)
    {
        IConfiguration configuration =
            new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("a", new FakeChatClient());
        services.AddMetaModel(configuration);
        using ServiceProvider provider = services.BuildServiceProvider();
        return FluentActions.Invoking(() => provider.GetRequiredService<MetaModelChatClient>())
            .Should().Throw<MetaModelConfigurationException>().Which;
    }
}

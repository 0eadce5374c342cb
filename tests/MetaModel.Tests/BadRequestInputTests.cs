using System.Text.Json;
using MetaModel.Candidates;
using MetaModel.Compliance;
using MetaModel.Costs;
using MetaModel.Routing;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests;

/// <summary>Null messages, null constraints, request entries of the wrong type and broken decisions get clear errors.</summary>
public sealed class BadRequestInputTests
{
    private readonly InMemoryComplianceRecorder _recorder = new();
    private readonly RecordingPolicy _policy = new();
    private readonly FakeChatClient _eu = FakeChatClient.Answering("eu", "from the eu");
    private readonly FakeChatClient _us = FakeChatClient.Answering("us", "from the us");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ANullMessage_IsRefusedNamingItsIndex_AndNoCandidateIsCalled(bool streaming)
    {
        using var router = Create();
        List<ChatMessage> messages = [new ChatMessage(ChatRole.User, "hello"), null!];

        Func<Task> call = streaming
            ? async () =>
            {
                await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync(messages))
                {
                    _ = update;
                }
            }
            : () => router.GetResponseAsync(messages);

        (await call.Should().ThrowAsync<ArgumentException>())
            .WithMessage("The message at index 1 is null.*").Which.ParamName.Should().Be("messages");
        _us.Calls.Should().Be(0);
        _eu.Calls.Should().Be(0);
    }

    [Fact]
    public void WithConstraints_ANullConstraint_IsRefusedNamingItsIndex()
    {
        var options = new ChatOptions();

        Action act = () => options.WithConstraints(TagConstraint.Require("region", "eu"), null!);

        act.Should().Throw<ArgumentException>().WithMessage("The constraint at index 1 is null.*")
            .Which.ParamName.Should().Be("constraints");
        options.AdditionalProperties.Should().BeNull();
    }

    [Fact]
    public async Task AConstraintsEntryHoldingNull_IsRefused()
    {
        using var router = Create();
        var options = new ChatOptions
        {
            AdditionalProperties = new() { [MetaModelPropertyNames.Constraints] = new TagConstraint?[] { null } },
        };

        Func<Task> call = () => router.GetResponseAsync(Chat.Prompt("x"), options);

        (await call.Should().ThrowAsync<ArgumentException>())
            .WithMessage($"The request entry '{MetaModelPropertyNames.Constraints}' holds a null constraint at index 0.*")
            .Which.ParamName.Should().Be("options");
    }

    [Theory]
    [InlineData(MetaModelPropertyNames.TenantId)]
    [InlineData(MetaModelPropertyNames.UserKey)]
    public async Task ATenantOrUserEntryThatIsNotAString_IsRefused_NotIgnored(string entry)
    {
        using var router = Create();
        var options = new ChatOptions { AdditionalProperties = new() { [entry] = 42 } };

        Func<Task> call = () => router.GetResponseAsync(Chat.Prompt("x"), options);

        (await call.Should().ThrowAsync<ArgumentException>())
            .WithMessage($"The request entry '{entry}' must be a string, not Int32.*");
        _us.Calls.Should().Be(0);
        _eu.Calls.Should().Be(0);
    }

    [Fact]
    public async Task ATenantEntryThatIsAJsonString_NamesTheTenant_AndItsConstraintsApply()
    {
        // The first candidate is in the us; the tenant may only use the eu.
        using var router = Create(o => o.TenantConstraints["acme"] = [TagConstraint.Require("region", "eu")]);
        var options = new ChatOptions
        {
            AdditionalProperties = new()
            {
                [MetaModelPropertyNames.TenantId] = JsonDocument.Parse("\"acme\"").RootElement.Clone(),
                [MetaModelPropertyNames.UserKey] = JsonDocument.Parse("\"u-1\"").RootElement.Clone(),
            },
        };

        ChatResponse response = await router.GetResponseAsync(Chat.Prompt("x"), options);

        response.Text.Should().Be("from the eu");
        DecisionRecord decision = _recorder.Decisions.Single();
        decision.TenantId.Should().Be("acme");
        decision.UserKey.Should().Be("u-1");
    }

    [Fact]
    public async Task ATenantEntryThatIsAJsonNumber_IsRefused()
    {
        using var router = Create();
        var options = new ChatOptions
        {
            AdditionalProperties = new() { [MetaModelPropertyNames.TenantId] = JsonDocument.Parse("7").RootElement.Clone() },
        };

        Func<Task> call = () => router.GetResponseAsync(Chat.Prompt("x"), options);

        (await call.Should().ThrowAsync<ArgumentException>())
            .WithMessage($"The request entry '{MetaModelPropertyNames.TenantId}' must be a string, not a JSON Number.*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ANegativeMaxOutputTokens_IsRefused_AndDoesNotSlipPastASpentBudget(bool streaming)
    {
        using var router = Create(o => o.Budgets.Add(new BudgetLimit("t", BudgetPeriod.Day, 1.00m)));
        router.Budgets.RecordSpend("t", 1.00m);
        var options = new ChatOptions { MaxOutputTokens = int.MinValue }.WithTenant("t");

        Func<Task> call = () => Chat.CallAsync(router, streaming, options: options);

        (await call.Should().ThrowAsync<ArgumentException>())
            .WithMessage($"MaxOutputTokens must be zero or more (was {int.MinValue}).*")
            .Which.ParamName.Should().Be("options");
        _us.Calls.Should().Be(0);
        _eu.Calls.Should().Be(0);
        router.Budgets.GetStatus("t").Single().SpentUsd.Should().Be(1.00m);
    }

    [Fact]
    public async Task APolicyThatRanksADefaultScore_FailsTheRequestNamingThePolicy()
    {
        using var router = Create();
        _policy.Decider = _ => new RoutingDecision([default], "broken");

        Func<Task> call = () => router.GetResponseAsync(Chat.Prompt("x"));

        (await call.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("Policy 'recording' ranked no candidate at position 1*");
    }

    [Fact]
    public async Task APolicyThatReturnsNoDecision_FailsTheRequestNamingThePolicy()
    {
        using var router = new MetaModelChatClient([new ModelCandidate("US", _us)], new NoDecisionPolicy());

        Func<Task> call = () => router.GetResponseAsync(Chat.Prompt("x"));

        (await call.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage("Policy 'no-decision' returned no decision*");
        _us.Calls.Should().Be(0);
    }

    private sealed class NoDecisionPolicy : IRoutingPolicy
    {
        public string Name => "no-decision";

        public string Version => "test";

        public RoutingDecision Decide(RoutingRequest request) => null!;

        public void Observe(AttemptObservation observation)
        {
        }

        public void ObserveFeedback(QualityFeedback feedback)
        {
        }

        public IReadOnlyDictionary<string, string> DescribeParameters() => new Dictionary<string, string>();
    }

    private MetaModelChatClient Create(Action<MetaModelOptions>? configure = null)
    {
        var options = new MetaModelOptions();
        configure?.Invoke(options);
        return new MetaModelChatClient(
            [
                new ModelCandidate("US", _us, tags: new Dictionary<string, string> { ["region"] = "us" }),
                new ModelCandidate("EU", _eu, tags: new Dictionary<string, string> { ["region"] = "eu" }),
            ],
            _policy,
            options,
            _recorder);
    }
}

using MetaModel.Candidates;
using MetaModel.Compliance;
using MetaModel.Routing;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests.Routing;

public sealed class EligibilityTests
{
    private readonly InMemoryComplianceRecorder _recorder = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Images_ExcludeCandidatesWithoutVision(bool streaming)
    {
        var text = FakeChatClient.Answering("text", "x");
        var vision = FakeChatClient.Answering("vision", "a cat");
        using var router = Create(
            Candidate("text", text, ModelCapabilities.Streaming | ModelCapabilities.Tools),
            Candidate("vision", vision, ModelCapabilities.All));
        var message = new ChatMessage(
            ChatRole.User,
            [new TextContent("what is this?"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]);

        string answer = streaming
            ? (await router.GetStreamingResponseAsync([message]).ToChatResponseAsync()).Text
            : (await router.GetResponseAsync([message])).Text;

        answer.Should().Be("a cat");
        text.Calls.Should().Be(0);
        _recorder.Decisions.Single().Candidates.Single(c => c.CandidateId == "text").Reason.Should().Contain("Vision");
    }

    [Fact]
    public async Task JsonFormat_ExcludesCandidatesWithoutJsonOutput()
    {
        using var router = Create(
            Candidate("plain", FakeChatClient.Answering("p", "x"), ModelCapabilities.Streaming),
            Candidate("json", FakeChatClient.Answering("j", "{}"), ModelCapabilities.JsonOutput));

        var response =
            await router.GetResponseAsync(Chat.Prompt("x"), new ChatOptions { ResponseFormat = ChatResponseFormat.Json });

        response.GetRoutingInfo()!.CandidateId.Should().Be("json");
    }

    [Fact]
    public async Task Streaming_ExcludesCandidatesThatCannotStream()
    {
        using var router = Create(
            Candidate("batch", FakeChatClient.Answering("b", "x"), ModelCapabilities.None),
            Candidate("live", FakeChatClient.Answering("l", "y"), ModelCapabilities.Streaming));

        var (response, _) = await Chat.CallAsync(router, streaming: true);

        response.Text.Should().Be("y");
    }

    [Fact]
    public async Task LongPrompt_ExcludesSmallContextWindows()
    {
        using var router = Create(
            new ModelCandidate("small", FakeChatClient.Answering("s", "x"), contextWindow: 100),
            new ModelCandidate("large", FakeChatClient.Answering("l", "y"), contextWindow: 10_000));

        var response = await router.GetResponseAsync(Chat.Prompt(new string('a', 2_000)));

        response.Text.Should().Be("y");
        _recorder.Decisions.Single().Candidates.Single(c => c.CandidateId == "small").Exclusion
            .Should().Be(ExclusionKind.ContextWindow);
    }

    [Fact]
    public async Task MaxOutputTokens_CountsAgainstTheContextWindow()
    {
        using var router = Create(
            new ModelCandidate("small", FakeChatClient.Answering("s", "x"), contextWindow: 1_000),
            new ModelCandidate("large", FakeChatClient.Answering("l", "y"), contextWindow: 10_000));

        var response = await router.GetResponseAsync(Chat.Prompt("short"), new ChatOptions { MaxOutputTokens = 2_000 });

        response.Text.Should().Be("y");
    }

    [Fact]
    public async Task Constraints_FromRouterTenantAndRequest_AllApply()
    {
        var options = new MetaModelOptions();
        options.Constraints.Add(TagConstraint.Require("region", "eu", "us"));
        options.TenantConstraints["acme"] = [TagConstraint.Forbid("provider", "bigco")];
        using var router = Create(
            options,
            Tagged("asia", ("region", "ap"), ("provider", "small")),
            Tagged("eu-big", ("region", "EU"), ("provider", "bigco")),
            Tagged("us-small", ("region", "us"), ("provider", "small")),
            Tagged("eu-small", ("region", "eu"), ("provider", "small")));

        var plain = await router.GetResponseAsync(Chat.Prompt("x"));
        var tenant = await router.GetResponseAsync(Chat.Prompt("x"), new ChatOptions().WithTenant("acme"));
        var request = await router.GetResponseAsync(
            Chat.Prompt("x"),
            new ChatOptions().WithTenant("acme").WithConstraints(TagConstraint.Require("region", "eu")));

        plain.GetRoutingInfo()!.CandidateId.Should().Be("eu-big", "region values compare ignoring case");
        tenant.GetRoutingInfo()!.CandidateId.Should().Be("us-small");
        request.GetRoutingInfo()!.CandidateId.Should().Be("eu-small");
        _recorder.Decisions[2].Candidates.Where(c => !c.Eligible).Select(c => c.Reason)
            .Should().Contain(r => r!.Contains("region in [eu, us]", StringComparison.Ordinal))
            .And.Contain(r => r!.Contains("provider not in [bigco]", StringComparison.Ordinal))
            .And.Contain(r => r!.Contains("region in [eu]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NothingEligible_TypedErrorNamesEveryExclusion(bool streaming)
    {
        var a = FakeChatClient.Answering("a", "x");
        var b = FakeChatClient.Answering("b", "x");
        using var router = Create(
            new ModelCandidate("tiny", a, contextWindow: 10, tags: new Dictionary<string, string> { ["region"] = "eu" }),
            new ModelCandidate("us", b, tags: new Dictionary<string, string> { ["region"] = "us" }));
        var options = new ChatOptions().WithConstraints(TagConstraint.Require("region", "eu"));

        Func<Task> act = () => Chat.CallAsync(router, streaming, prompt: new string('x', 400), options: options);

        var error = (await act.Should().ThrowAsync<NoEligibleCandidateException>()).Which;
        error.Exclusions.Select(e => (e.CandidateId, e.Kind))
            .Should().Equal(("tiny", ExclusionKind.ContextWindow), ("us", ExclusionKind.Constraint));
        error.Message.Should().Contain("tiny").And.Contain("context window").And.Contain("us").And.Contain("region");
        (a.Calls + b.Calls).Should().Be(0);
        _recorder.Decisions.Single().Reason.Should().Be("no candidate is eligible");
    }

    [Fact]
    public void TagConstraint_RequireAndForbid_TreatMissingTagsDifferently()
    {
        var bare = new ModelCandidate("bare", new FakeChatClient());

        TagConstraint.Require("region", "eu").IsSatisfiedBy(bare).Should().BeFalse();
        TagConstraint.Forbid("provider", "x").IsSatisfiedBy(bare).Should().BeTrue();
        FluentActions.Invoking(() => TagConstraint.Require("region")).Should().Throw<ArgumentException>()
            .WithMessage("*at least one value*");
    }

    [Fact]
    public async Task BadConstraintEntry_IsAClearError()
    {
        using var router = Create(Candidate("a", FakeChatClient.Answering("a", "x"), ModelCapabilities.All));
        var options = new ChatOptions { AdditionalProperties = new() { [MetaModelPropertyNames.Constraints] = "region=eu" } };

        Func<Task> act = () => router.GetResponseAsync(Chat.Prompt("x"), options);

        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*TagConstraint*String*");
    }

    private static ModelCandidate Candidate(string id, IChatClient client, ModelCapabilities capabilities) =>
        new(id, client, capabilities: capabilities);

    private static ModelCandidate Tagged(string id, params (string Key, string Value)[] tags) =>
        new(id, FakeChatClient.Answering(id, id), tags: tags.ToDictionary(t => t.Key, t => t.Value));

    private MetaModelChatClient Create(params ModelCandidate[] candidates) => Create(null, candidates);

    private MetaModelChatClient Create(MetaModelOptions? options, params ModelCandidate[] candidates) =>
        new(candidates, new MetaModel.Policies.OrderedRoutingPolicy(), options, _recorder);
}

using MetaModel.Candidates;
using MetaModel.Compliance;
using MetaModel.DependencyInjection;
using MetaModel.Experiments;
using MetaModel.Policies;
using MetaModel.Routing;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MetaModel.Tests.Experiments;

public sealed class ExperimentRoutingPolicyTests
{
    private static readonly DateTimeOffset s_start = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly InMemoryComplianceRecorder _recorder = new();
    private readonly FakeTimeProvider _clock = new(s_start.AddHours(-5));
    private readonly FakeChatClient _a = FakeChatClient.Answering("a", "from a");
    private readonly FakeChatClient _b = FakeChatClient.Answering("b", "from b");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_EnrolledUser_ArmsCandidateAnswersAndAssignmentIsRecorded(bool streaming)
    {
        var experiment =
            new Experiment("exp", [ExperimentArm.ForCandidate("A", 1, "A"), ExperimentArm.ForCandidate("B", 1, "B")], s_start);
        using MetaModelChatClient router = Create(experiment);
        string user = UserIn(experiment, "B");
        _clock.SetUtcNow(s_start.AddHours(1));

        var (response, _) = await Chat.CallAsync(router, streaming, options: new ChatOptions().WithUser(user));

        response.GetRoutingInfo()!.CandidateId.Should().Be("B");
        DecisionRecord decision = _recorder.Decisions.Single();
        decision.Experiment
            .Should().Be(new ExperimentAssignment("exp", "B", ExperimentBucketing.Bucket("exp", user), Applied: true));
        decision.Reason.Should().StartWith("experiment exp, arm B: ");
        decision.PolicyName.Should().Be("experiment:exp");
        decision.Candidates.Where(c => c.Rank is not null).OrderBy(c => c.Rank).Select(c => c.CandidateId)
            .Should().Equal(["B", "A"], "the control policy's order follows the arm's candidate");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_SameUserManyTimes_AlwaysTheSameArm(bool streaming)
    {
        var experiment =
            new Experiment("sticky", [ExperimentArm.ForCandidate("A", 1, "A"), ExperimentArm.ForCandidate("B", 1, "B")]);
        using MetaModelChatClient router = Create(experiment);

        for (int i = 0; i < 10; i++)
        {
            await Chat.CallAsync(router, streaming, options: new ChatOptions().WithUser("user-77"));
        }

        _recorder.Decisions.Select(d => d.Experiment!.Arm).Distinct().Should().ContainSingle();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_NoUserKey_ControlDecidesWithoutAssignment(bool streaming)
    {
        var experiment =
            new Experiment("exp", [ExperimentArm.ForCandidate("A", 1, "A"), ExperimentArm.ForCandidate("B", 1, "B")]);
        using MetaModelChatClient router = Create(experiment);

        var (response, _) = await Chat.CallAsync(router, streaming);

        response.GetRoutingInfo()!.CandidateId.Should().Be("A", "the control (ordered) policy tries A first");
        _recorder.Decisions.Single().Experiment.Should().BeNull();
    }

    [Fact]
    public async Task Call_NoUserKeyButAssignUnkeyed_EachRequestIsAssigned()
    {
        var experiment = new Experiment("exp", [ExperimentArm.ForCandidate("A", 1, "A"), ExperimentArm.ForCandidate("B", 1, "B")])
        {
            AssignUnkeyedRequests = true,
        };
        using MetaModelChatClient router = Create(experiment);

        for (int i = 0; i < 40; i++)
        {
            await Chat.CallAsync(router, streaming: false);
        }

        _recorder.Decisions.Should().OnlyContain(d => d.Experiment != null);
        _recorder.Decisions.Select(d => d.Experiment!.Arm).Distinct().Should().HaveCount(2);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(47, true)]
    [InlineData(48, false)]
    public async Task Call_OutsideTheWindow_ControlDecides(int hoursFromStart, bool enrolled)
    {
        var experiment = new Experiment(
            "window",
            [ExperimentArm.ForCandidate("A", 1, "A"), ExperimentArm.ForCandidate("B", 1, "B")],
            s_start,
            s_start.AddHours(48));
        using MetaModelChatClient router = Create(experiment);
        _clock.SetUtcNow(s_start.AddHours(hoursFromStart));

        await Chat.CallAsync(router, streaming: false, options: new ChatOptions().WithUser(UserIn(experiment, "B")));

        (_recorder.Decisions.Single().Experiment is not null).Should().Be(enrolled);
    }

    [Fact]
    public async Task Call_ArmsCandidateNotEligible_ControlServesAndAssignmentSaysNotApplied()
    {
        var experiment =
            new Experiment("exp", [ExperimentArm.ForCandidate("A", 1, "A"), ExperimentArm.ForCandidate("B", 1, "B")]);
        var b = new ModelCandidate("B", _b, capabilities: ModelCapabilities.None);
        using var router = new MetaModelChatClient(
            [new ModelCandidate("A", _a), b],
            new ExperimentRoutingPolicy(experiment, new OrderedRoutingPolicy(), _clock),
            recorder: _recorder);

        var (response, _) =
            await Chat.CallAsync(router, streaming: true, options: new ChatOptions().WithUser(UserIn(experiment, "B")));

        response.GetRoutingInfo()!.CandidateId.Should().Be("A");
        _recorder.Decisions.Single().Experiment!.Applied.Should().BeFalse();
        _recorder.Decisions.Single().Reason.Should().Contain("not eligible");
    }

    [Fact]
    public async Task Call_NoFallbackOutsideArm_OnlyTheArmsCandidateIsRanked()
    {
        var experiment = new Experiment("exp", [ExperimentArm.ForCandidate("A", 1, "A"), ExperimentArm.ForCandidate("B", 1, "B")])
        {
            FallBackOutsideArm = false,
        };
        using MetaModelChatClient router = Create(experiment);

        await Chat.CallAsync(router, streaming: false, options: new ChatOptions().WithUser(UserIn(experiment, "A")));

        _recorder.Decisions.Single().Candidates.Count(c => c.Rank is not null).Should().Be(1);
    }

    [Fact]
    public async Task PolicyArms_EachLearnsOnlyFromItsOwnRequests()
    {
        var left = new RecordingPolicy();
        var right = new RecordingPolicy();
        var control = new RecordingPolicy();
        var experiment =
            new Experiment("policies", [ExperimentArm.ForPolicy("left", 1, left), ExperimentArm.ForPolicy("right", 1, right)]);
        using var router = new MetaModelChatClient(
            [new ModelCandidate("A", _a), new ModelCandidate("B", _b)],
            new ExperimentRoutingPolicy(experiment, control, _clock),
            recorder: _recorder);

        for (int i = 0; i < 30; i++)
        {
            ChatResponse response = await router.GetResponseAsync("hi", new ChatOptions().WithUser("u" + i));
            router.ReportQuality(response.GetRoutingInfo()!.DecisionId, 0.5);
        }

        await router.GetResponseAsync("no key");
        ISet<string> leftDecisions =
            _recorder.Decisions.Where(d => d.Experiment?.Arm == "left").Select(d => d.DecisionId).ToHashSet();
        ISet<string> rightDecisions =
            _recorder.Decisions.Where(d => d.Experiment?.Arm == "right").Select(d => d.DecisionId).ToHashSet();

        left.Requests.Select(r => r.DecisionId).Should().BeEquivalentTo(leftDecisions);
        left.Observations.Select(o => o.DecisionId).Should().BeEquivalentTo(leftDecisions);
        left.Feedback.Select(f => f.DecisionId).Should().BeEquivalentTo(leftDecisions);
        right.Feedback.Select(f => f.DecisionId).Should().BeEquivalentTo(rightDecisions);
        control.Requests.Should().ContainSingle("only the request without a user key is the control's");
        leftDecisions.Should().NotBeEmpty();
        rightDecisions.Should().NotBeEmpty();
    }

    [Fact]
    public void UseExperiment_ArmNamesUnknownCandidate_ReportedAtBuild()
    {
        var services = new ServiceCollection();
        services.AddMetaModel()
            .AddCandidate("A", _a)
            .UseExperiment(
                new Experiment("exp", [ExperimentArm.ForCandidate("A", 1, "A"), ExperimentArm.ForCandidate("B", 1, "missing")]));
        using ServiceProvider provider = services.BuildServiceProvider();

        Action resolve = () => provider.GetRequiredService<IChatClient>();

        resolve.Should().Throw<MetaModelConfigurationException>().WithMessage("*'missing'*");
    }

    [Fact]
    public void UseExperiment_UsesTheContainersClock()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddMetaModel()
            .AddCandidate("A", _a)
            .AddCandidate("B", _b)
            .UseExperiment(
                new Experiment(
                    "exp",
                    [ExperimentArm.ForCandidate("A", 1, "A"), ExperimentArm.ForCandidate("B", 1, "B")],
                    s_start.AddDays(1)));
        using ServiceProvider provider = services.BuildServiceProvider();
        var policy = (ExperimentRoutingPolicy)provider.GetRequiredService<MetaModelChatClient>().Policy;

        policy.Experiment.IsActive(_clock.GetUtcNow()).Should().BeFalse();
        policy.DescribeParameters().Should().ContainKey("arm:B");
    }

    private static string UserIn(Experiment experiment, string arm) =>
        Enumerable.Range(0, 1000).Select(i => "user-" + i).First(u => experiment.Assign(u).Arm.Name == arm);

    private MetaModelChatClient Create(Experiment experiment) => new(
        [new ModelCandidate("A", _a), new ModelCandidate("B", _b)],
        new ExperimentRoutingPolicy(experiment, new OrderedRoutingPolicy(), _clock),
        recorder: _recorder,
        timeProvider: _clock);
}

using MetaModel.Candidates;
using MetaModel.Compliance;
using MetaModel.Resilience;
using MetaModel.Routing;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace MetaModel.Tests;

public sealed class MetaModelChatClientTests
{
    private readonly InMemoryComplianceRecorder _recorder = new();
    private readonly RecordingPolicy _policy = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_FirstRankedAnswers_ResponseNamesIt(bool streaming)
    {
        var a = FakeChatClient.Answering("a", "four");
        var b = FakeChatClient.Answering("b", "4");
        using var router = Create(Candidate("A", a), Candidate("B", b));

        var (response, updates) = await Chat.CallAsync(router, streaming);

        response.Text.Should().Be("four");
        a.Calls.Should().Be(1);
        b.Calls.Should().Be(0);
        response.ModelId.Should().Be("a-model");
        if (streaming)
        {
            updates.Should().OnlyContain(u => u.GetCandidateId() == "A");
            updates[^1].Contents.Should().BeEmpty("the last update only carries the routing summary");
        }

        RoutingInfo info = response.GetRoutingInfo()!;
        info.CandidateId.Should().Be("A");
        info.AttemptCount.Should().Be(1);
        info.PolicyName.Should().Be("recording");
        info.DecisionId.Should().Be(_recorder.Decisions.Single().DecisionId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_FirstFailsBeforeOutput_FailsOverAndNamesTheSecond(bool streaming)
    {
        var a = FakeChatClient.Failing(
            "a",
            () => new HttpRequestException("overloaded", null, System.Net.HttpStatusCode.ServiceUnavailable));
        var b = FakeChatClient.Answering("b", "the answer", new UsageDetails { InputTokenCount = 10, OutputTokenCount = 2 });
        using var router = Create(Candidate("A", a), Candidate("B", b, input: 1m, output: 2m));

        var (response, updates) = await Chat.CallAsync(router, streaming);

        response.Text.Should().Be("the answer");
        response.ModelId.Should().Be("b-model");
        if (streaming)
        {
            updates.Should().NotBeEmpty().And.OnlyContain(u => u.GetCandidateId() == "B");
        }

        _recorder.Attempts.Select(r => (r.CandidateId, r.Completed, r.WillFailOver))
            .Should().Equal(("A", false, true), ("B", true, false));
        _recorder.Attempts[0].ErrorKind.Should().Be(nameof(HttpRequestException));
        OutcomeRecord outcome = _recorder.Outcomes.Should().ContainSingle().Subject;
        outcome.AnsweredBy.Should().Be("B");
        outcome.Succeeded.Should().BeTrue();
        outcome.CostUsd.Should().Be(((10 * 1m) + (2 * 2m)) / 1_000_000m);
        outcome.CostIsEstimated.Should().BeFalse();
        _policy.Observations.Select(o => (o.CandidateId, o.Succeeded)).Should().Equal(("A", false), ("B", true));
    }

    [Fact]
    public async Task Stream_FailsAfterOutput_NoFailoverAndRecordedAsTruncated()
    {
        var a = new FakeChatClient("a") { OnStream = (_, _, _) => CutAfter(3) };
        var b = FakeChatClient.Answering("b", "never");
        using var router = Create(Candidate("A", a), Candidate("B", b));

        var received = new List<ChatResponseUpdate>();
        Func<Task> act = async () =>
        {
            await foreach (var update in router.GetStreamingResponseAsync(Chat.Prompt("hi")))
            {
                received.Add(update);
            }
        };

        var error = (await act.Should().ThrowAsync<ResponseIncompleteException>()).Which;
        error.InnerException.Should().BeOfType<IOException>().Which.Message.Should().Be("connection reset");
        error.UpdatesDelivered.Should().Be(3);
        received.Should().HaveCount(3);
        b.Calls.Should().Be(0);
        OutcomeRecord outcome = _recorder.Outcomes.Should().ContainSingle().Subject;
        outcome.Succeeded.Should().BeFalse();
        outcome.Truncated.Should().BeTrue();
        outcome.UpdateCount.Should().Be(3);
        outcome.AnsweredBy.Should().Be("A");
    }

    [Fact]
    public async Task Stream_EndsWithoutFinishReasonAfterOutput_TypedErrorAndRecordedAsTruncated()
    {
        var a = new FakeChatClient("a") { OnStream = (_, _, ct) => FakeChatClient.StreamWords("half an", null, null, null, ct) };
        using var router = Create(Candidate("A", a));

        Func<Task> act = () => Chat.CallAsync(router, streaming: true);

        (await act.Should().ThrowAsync<ResponseIncompleteException>()).Which.InnerException
            .Should().BeOfType<StreamFaultException>().Which.Kind.Should().Be(FaultKind.StreamTruncated);
        OutcomeRecord outcome = _recorder.Outcomes.Single();
        outcome.Truncated.Should().BeTrue();
        outcome.Succeeded.Should().BeFalse();
        outcome.UpdateCount.Should().Be(3, "two words and an update without a finish reason");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_AllFail_OneErrorCarriesEveryAttemptAndEachIsTriedOnce(bool streaming)
    {
        var a = FakeChatClient.Failing("a", () => new InvalidOperationException("a is down"));
        var b = FakeChatClient.Failing("b", () => new TimeoutException("b timed out"));
        using var router = Create(Candidate("A", a), Candidate("B", b));

        Func<Task> act = () => Chat.CallAsync(router, streaming);

        var error = (await act.Should().ThrowAsync<RoutingFailedException>()).Subject.Single();
        error.Attempts.Select(f => f.CandidateId).Should().Equal("A", "B");
        error.Message.Should().Contain("a is down").And.Contain("b timed out");
        error.InnerException.Should().BeOfType<TimeoutException>();
        a.Calls.Should().Be(1);
        b.Calls.Should().Be(1);
        _recorder.Attempts.Select(r => r.WillFailOver).Should().Equal(true, false);
        _recorder.Outcomes.Single().Succeeded.Should().BeFalse();
    }

    [Fact]
    public async Task Call_AttemptLimit_StopsAfterTheLimit()
    {
        var clients = Enumerable.Range(0, 5).Select(i => FakeChatClient.Failing(
            $"c{i}",
            () => new InvalidOperationException("down"))).ToArray();
        using var router = Create(
            new MetaModelOptions { MaxAttemptsPerRequest = 2 },
            clients.Select((c, i) => Candidate($"C{i}", c)).ToArray());

        Func<Task> act = () => router.GetResponseAsync(Chat.Prompt("x"));

        (await act.Should().ThrowAsync<RoutingFailedException>()).Which.Message.Should().Contain("limit of 2 attempts");
        clients.Sum(c => c.Calls).Should().Be(2);
    }

    [Fact]
    public async Task Stream_CancelledMidway_StopsWithoutFailoverAndDisposesTheStream()
    {
        var a = new FakeChatClient("a") { OnStream = (_, _, ct) => Slow(ct) };
        var b = FakeChatClient.Answering("b", "never");
        using var router = Create(Candidate("A", a), Candidate("B", b));
        using var cts = new CancellationTokenSource();

        int count = 0;
        Func<Task> act = async () =>
        {
            await foreach (var update in router.GetStreamingResponseAsync(Chat.Prompt("hi"), cancellationToken: cts.Token))
            {
                if (++count == 2)
                {
                    await cts.CancelAsync();
                }
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        count.Should().Be(2);
        b.Calls.Should().Be(0);
        a.DisposedEnumerators.Should().Be(1);
        OutcomeRecord outcome = _recorder.Outcomes.Single();
        outcome.Truncated.Should().BeTrue();
        outcome.UpdateCount.Should().Be(2);
        outcome.OutputTokens.Should().BePositive("the partial output is counted");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_PinsCandidateByModelId_AndDoesNotForwardTheIdOrOwnEntries(bool streaming)
    {
        var a = FakeChatClient.Answering("a", "from a");
        var b = FakeChatClient.Answering("b", "from b");
        using var router = Create(Candidate("A", a), Candidate("B", b));
        var options = new ChatOptions { ModelId = "B", Temperature = 0.5f }.WithTenant("acme").WithUser("u1");
        options.AdditionalProperties!["provider_specific"] = 1;

        var (response, _) = await Chat.CallAsync(router, streaming, options: options);

        response.Text.Should().Be("from b");
        ChatOptions forwarded = b.ReceivedOptions.Single()!;
        forwarded.ModelId.Should().BeNull();
        forwarded.Temperature.Should().Be(0.5f);
        forwarded.AdditionalProperties.Should().ContainKey("provider_specific")
            .And.NotContainKey(MetaModelPropertyNames.TenantId).And.NotContainKey(MetaModelPropertyNames.UserKey);
        options.ModelId.Should().Be("B", "the caller's options are not changed");
        DecisionRecord decision = _recorder.Decisions.Single();
        decision.RequestedModel.Should().Be("B");
        decision.TenantId.Should().Be("acme");
        decision.UserKey.Should().Be("u1");
        decision.Candidates.Single(c => c.CandidateId == "A").Exclusion.Should().Be(ExclusionKind.NotRequested);
    }

    [Fact]
    public async Task Call_RouterNameAsModelId_LetsThePolicyChoose()
    {
        var a = FakeChatClient.Answering("a", "from a");
        using var router = Create(Candidate("A", a));

        var response =
            await router.GetResponseAsync(Chat.Prompt("x"), new ChatOptions { ModelId = MetaModelOptions.DefaultName });

        response.Text.Should().Be("from a");
    }

    [Fact]
    public async Task Call_UnknownModelId_TypedErrorAndNothingCalled()
    {
        var a = FakeChatClient.Answering("a", "from a");
        using var router = Create(Candidate("A", a));

        Func<Task> act = () => router.GetResponseAsync(Chat.Prompt("x"), new ChatOptions { ModelId = "gpt-9" });

        var error = (await act.Should().ThrowAsync<NoEligibleCandidateException>()).Which;
        error.Message.Should().Contain("gpt-9");
        error.Exclusions.Should().Contain(e => e.CandidateId == "A" && e.Kind == ExclusionKind.NotRequested);
        a.Calls.Should().Be(0);
        _recorder.Decisions.Single().ChosenCandidateId.Should().BeNull();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cost_WithoutUsage_IsEstimatedAndMarked(bool streaming)
    {
        var a = FakeChatClient.Answering("a", "twelve chars");
        using var router = Create(Candidate("A", a, input: 1_000_000m, output: 1_000_000m));

        await Chat.CallAsync(router, streaming, prompt: "abcdefgh");

        OutcomeRecord outcome = _recorder.Outcomes.Single();
        outcome.CostIsEstimated.Should().BeTrue();
        outcome.InputTokens.Should().Be(4 + 2, "4 framing tokens plus 8 characters / 4");
        outcome.OutputTokens.Should().Be(3, "12 characters / 4");
        outcome.CostUsd.Should().Be(9m);
    }

    [Fact]
    public async Task Cost_StreamedAndNotStreamed_AreTheSame()
    {
        var usage = new UsageDetails { InputTokenCount = 120, OutputTokenCount = 30 };
        var a = FakeChatClient.Answering("a", "same answer", usage);
        using var router = Create(Candidate("A", a, input: 3m, output: 15m));

        await Chat.CallAsync(router, streaming: false);
        await Chat.CallAsync(router, streaming: true);

        _recorder.Outcomes.Select(o => o.CostUsd).Distinct().Should().ContainSingle()
            .Which.Should().Be(((120 * 3m) + (30 * 15m)) / 1_000_000m);
        _recorder.Outcomes.Should().OnlyContain(o => !o.CostIsEstimated);
    }

    [Fact]
    public async Task Cost_ReportedByProvider_IsUsed()
    {
        var a = new FakeChatClient("a")
        {
            OnGetResponse = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"))
            {
                AdditionalProperties = new() { [MetaModelPropertyNames.ReportedCostUsd] = 0.0042m },
            }),
        };
        using var router = Create(Candidate("A", a, input: 100m, output: 100m));

        var response = await router.GetResponseAsync(Chat.Prompt("x"));

        response.GetRoutingInfo()!.CostUsd.Should().Be(0.0042m);
        response.GetRoutingInfo()!.CostIsEstimated.Should().BeFalse();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Feedback_ByDecisionOrResponseId_ReachesPolicyOnceAndRecorderEveryTime(bool byResponseId)
    {
        var a = FakeChatClient.Answering("a", "answer");
        using var router = Create(Candidate("A", a));
        var response = await router.GetResponseAsync(Chat.Prompt("x"));
        string id = byResponseId ? response.ResponseId! : response.GetRoutingInfo()!.DecisionId;

        router.TryReportQuality(id, 0.75).Should().BeTrue();
        router.TryReportQuality(id, 0.25).Should().BeTrue();

        QualityFeedback feedback = _policy.Feedback.Should().ContainSingle().Subject;
        feedback.CandidateId.Should().Be("A");
        feedback.Quality.Should().Be(0.75);
        _recorder.Feedback.Select(f => (f.Quality, f.AppliedToPolicy)).Should().Equal((0.75, true), (0.25, false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnAnswerWithoutAProviderResponseId_HasTheDecisionIdAsItsResponseId_StreamedOrNot(bool streaming)
    {
        var a = FakeChatClient.Answering("a", "an answer in words");
        using var router = Create(Candidate("A", a));

        var (response, updates) = await Chat.CallAsync(router, streaming);

        response.ResponseId.Should().Be(response.GetRoutingInfo()!.DecisionId);
        response.Messages.Should().ContainSingle().Which.Text.Should().Be("an answer in words");
        if (streaming)
        {
            updates.Where(u => u.Contents.Count > 0).Should().NotBeEmpty()
                .And.OnlyContain(u => u.ResponseId == null, "what the provider sent is passed on as it came");
        }

        router.TryReportQuality(response.ResponseId!, 1).Should().BeTrue();
    }

    [Fact]
    public async Task Feedback_StreamedResponse_UsesTheDecisionIdOnUpdates()
    {
        var a = FakeChatClient.Answering("a", "streamed answer");
        using var router = Create(Candidate("A", a));

        var (_, updates) = await Chat.CallAsync(router, streaming: true);
        string decisionId = updates[0].GetDecisionId()!;

        router.TryReportQuality(decisionId, 1).Should().BeTrue();
        _policy.Feedback.Single().DecisionId.Should().Be(decisionId);
    }

    [Fact]
    public void Feedback_UnknownOrInvalid_IsRefusedClearly()
    {
        using var router = Create(Candidate("A", FakeChatClient.Answering("a", "x")));

        router.TryReportQuality("nope", 0.5).Should().BeFalse();
        FluentActions.Invoking(() => router.ReportQuality("nope", 0.5))
            .Should().Throw<KeyNotFoundException>().WithMessage("*'nope'*");
        FluentActions.Invoking(() => router.TryReportQuality("nope", double.NaN))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*between 0*");
        FluentActions.Invoking(() => router.TryReportQuality("nope", 1.5)).Should().Throw<ArgumentOutOfRangeException>();
        _recorder.Feedback.Should().BeEmpty();
    }

    [Fact]
    public async Task Feedback_ThatTheRecorderRefuses_CanBeReportedAgain_AndStillTeachesThePolicy()
    {
        var recorder = new RefusingFeedbackRecorder { Refusals = 1 };
        using var router = new MetaModelChatClient(
            [Candidate("A", FakeChatClient.Answering("a", "x"))], _policy, recorder: recorder);
        string id = (await router.GetResponseAsync(Chat.Prompt("x"))).GetRoutingInfo()!.DecisionId;

        FluentActions.Invoking(() => router.TryReportQuality(id, 0.25))
            .Should().Throw<InvalidOperationException>().WithMessage("The log is full.");
        _policy.Feedback.Should().BeEmpty();

        router.TryReportQuality(id, 0.75).Should().BeTrue();
        router.TryReportQuality(id, 0.5).Should().BeTrue();

        _policy.Feedback.Should().ContainSingle().Which.Quality.Should().Be(0.75);
        recorder.Feedback.Select(f => (f.Quality, f.AppliedToPolicy)).Should().Equal((0.75, true), (0.5, false));
    }

    [Fact]
    public async Task Feedback_ByTheResponseIdOfAStreamWhoseFirstUpdatesHaveAnEmptyId_FindsTheDecision()
    {
        var a = new FakeChatClient("a") { OnStream = (_, _, _) => EmptyIdFirst() };
        using var router = Create(Candidate("A", a));

        var (response, _) = await Chat.CallAsync(router, streaming: true);

        response.ResponseId.Should().Be("resp-9");
        router.TryReportQuality("resp-9", 1).Should().BeTrue();
        _policy.Feedback.Should().ContainSingle().Which.DecisionId.Should().Be(response.GetRoutingInfo()!.DecisionId);
    }

    [Fact]
    public async Task Feedback_OlderThanCapacity_IsForgotten()
    {
        using var router =
            Create(new MetaModelOptions { FeedbackCapacity = 2 }, Candidate("A", FakeChatClient.Answering("a", "x")));
        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            ids.Add((await router.GetResponseAsync(Chat.Prompt("x"))).GetRoutingInfo()!.DecisionId);
        }

        router.TryReportQuality(ids[0], 1).Should().BeFalse();
        router.TryReportQuality(ids[2], 1).Should().BeTrue();
    }

    [Fact]
    public async Task Feedback_ByAResponseIdThatSeveralDecisionsShare_IsRefused_AndTheDecisionIdsStillWork()
    {
        // A provider that reuses response ids ("chatcmpl-123") made feedback for an earlier answer, given by its
        // response id, land on the latest decision with that id: the wrong answer, and often the wrong candidate.
        var a = new FakeChatClient("a")
        {
            OnGetResponse = (_, _, _) => Task.FromResult(
                new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { ResponseId = "chatcmpl-123" }),
        };
        using var router = Create(new MetaModelOptions { FeedbackCapacity = 2 }, Candidate("A", a));
        ChatResponse first = await router.GetResponseAsync(Chat.Prompt("first"));
        ChatResponse second = await router.GetResponseAsync(Chat.Prompt("second"));

        router.TryReportQuality("chatcmpl-123", 0).Should().BeFalse();
        FluentActions.Invoking(() => router.ReportQuality("chatcmpl-123", 0))
            .Should().Throw<KeyNotFoundException>().WithMessage("*several*decision id*");
        _policy.Feedback.Should().BeEmpty();
        router.TryReportQuality(first.GetRoutingInfo()!.DecisionId, 0).Should().BeTrue();
        router.TryReportQuality(second.GetRoutingInfo()!.DecisionId, 1).Should().BeTrue();
        _policy.Feedback.Select(f => (f.DecisionId, f.Quality)).Should().Equal(
            (first.GetRoutingInfo()!.DecisionId, 0.0),
            (second.GetRoutingInfo()!.DecisionId, 1.0));

        // Once both have been forgotten (the capacity is 2), the id can name a new answer again.
        a.OnGetResponse = (_, _, _) => Task.FromResult(
            new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { ResponseId = "other-" + Guid.NewGuid() });
        await router.GetResponseAsync(Chat.Prompt("other"));
        await router.GetResponseAsync(Chat.Prompt("other"));
        a.OnGetResponse = (_, _, _) => Task.FromResult(
            new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { ResponseId = "chatcmpl-123" });
        await router.GetResponseAsync(Chat.Prompt("third"));
        router.TryReportQuality("chatcmpl-123", 0.5).Should().BeTrue();
    }

    [Fact]
    public async Task Decision_RecordsEveryCandidateWithScoresAndExclusions()
    {
        var a = FakeChatClient.Answering("a", "x");
        using var router = Create(
            Candidate("A", a),
            Candidate("NoTools", FakeChatClient.Answering("n", "x"), capabilities: ModelCapabilities.Streaming),
            Candidate("B", FakeChatClient.Answering("b", "x")));
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => 42, "answer")] };

        await router.GetResponseAsync(Chat.Prompt("x"), options);

        DecisionRecord decision = _recorder.Decisions.Single();
        decision.PolicyName.Should().Be("recording");
        decision.ChosenCandidateId.Should().Be("A");
        decision.Candidates.Should().HaveCount(3);
        decision.Candidates.Where(c => c.Eligible).Select(c => (c.CandidateId, c.Rank)).Should().Equal(("A", 1), ("B", 2));
        CandidateAssessment excluded = decision.Candidates.Single(c => !c.Eligible);
        excluded.CandidateId.Should().Be("NoTools");
        excluded.Exclusion.Should().Be(ExclusionKind.MissingCapability);
        excluded.Reason.Should().Contain("Tools");
    }

    [Fact]
    public async Task Policy_RankingAnIneligibleCandidate_IsRefused()
    {
        var outsider = new ModelCandidate("X", FakeChatClient.Answering("x", "x"));
        _policy.Decider = _ => new RoutingDecision([new CandidateScore(outsider, 1)], "rogue");
        using var router = Create(Candidate("A", FakeChatClient.Answering("a", "x")));

        Func<Task> act = () => router.GetResponseAsync(Chat.Prompt("x"));

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*'X'*not eligible*");
    }

    [Fact]
    public async Task Call_ManyConcurrentRequests_EachGetsOneDecisionAndOutcome()
    {
        var a = FakeChatClient.Answering("a", "x");
        var b = FakeChatClient.Answering("b", "y");
        using var router = new MetaModelChatClient(
            [Candidate("A", a), Candidate("B", b)],
            new MetaModel.Policies.WeightedRoutingPolicy(new Dictionary<string, double> { ["A"] = 1, ["B"] = 1 }, new Random(1)),
            recorder: _recorder);

        await Parallel.ForAsync(0, 400, async (i, ct) => await Chat.CallAsync(router, i % 2 == 0, cancellationToken: ct));

        _recorder.Decisions.Should().HaveCount(400);
        _recorder.Outcomes.Should().HaveCount(400).And.OnlyContain(o => o.Succeeded);
        _recorder.Decisions.Select(d => d.DecisionId).Should().OnlyHaveUniqueItems();
        (a.Calls + b.Calls).Should().Be(400);
    }

    [Fact]
    public async Task Policy_FailingToLearn_DoesNotFailTheRequest()
    {
        var policy = new ThrowingLearner();
        using var router =
            new MetaModelChatClient([Candidate("A", FakeChatClient.Answering("a", "fine"))], policy, recorder: _recorder);

        var response = await router.GetResponseAsync(Chat.Prompt("x"));
        router.TryReportQuality(response.GetRoutingInfo()!.DecisionId, 1).Should().BeTrue();

        response.Text.Should().Be("fine");
        policy.Calls.Should().Be(2);
        _recorder.Feedback.Should().ContainSingle();
    }

    [Fact]
    public void Constructor_InvalidConfiguration_ListsEveryProblem()
    {
        var client = FakeChatClient.Answering("a", "x");
        var duplicate1 = new ModelCandidate("dup", client);
        var duplicate2 = new ModelCandidate("dup", client);

        Action act = () => _ = new MetaModelChatClient(
            [duplicate1, duplicate2],
            _policy,
            new MetaModelOptions { MaxAttemptsPerRequest = 0, FeedbackCapacity = -1 });

        var error = act.Should().Throw<MetaModelConfigurationException>().Which;
        error.Problems.Should().HaveCount(3);
        error.Message.Should().Contain("'dup' is used more than once").And.Contain("MaxAttemptsPerRequest")
            .And.Contain("FeedbackCapacity");
    }

    [Theory]
    [InlineData(int.MaxValue, 0)]
    [InlineData(int.MaxValue, 64)]
    [InlineData(40_000_000, 64)]
    public void Constructor_FeedbackCapacityBeyondWhatTheLedgerCanHold_IsReported(int capacity, int dimension)
    {
        Action act = () => _ = new MetaModelChatClient(
            [Candidate("A", FakeChatClient.Answering("a", "x"))],
            _policy,
            new MetaModelOptions { FeedbackCapacity = capacity },
            featurizer: dimension == 0 ? null : new FixedFeaturizer(dimension));

        act.Should().Throw<MetaModelConfigurationException>()
            .Which.Problems.Should().ContainSingle().Which.Should().StartWith($"FeedbackCapacity {capacity} times");
    }

    [Fact]
    public void Constructor_FeedbackCapacityAtWhatTheLedgerCanHold_IsAccepted()
    {
        using var router = new MetaModelChatClient(
            [Candidate("A", FakeChatClient.Answering("a", "x"))],
            _policy,
            new MetaModelOptions { FeedbackCapacity = Array.MaxLength / 64 },
            featurizer: new FixedFeaturizer(64));

        router.Options.FeedbackCapacity.Should().Be(Array.MaxLength / 64);
    }

    [Fact]
    public void Constructor_NoCandidates_IsReported()
    {
        Action act = () => _ = new MetaModelChatClient([], _policy);

        act.Should().Throw<MetaModelConfigurationException>().WithMessage("*No candidates*");
    }

    private sealed class ThrowingLearner : IRoutingPolicy
    {
        public int Calls { get; private set; }

        public string Name => "throwing";

        public string Version => "1";

        public RoutingDecision Decide(RoutingRequest request) => new MetaModel.Policies.OrderedRoutingPolicy().Decide(request);

        public void Observe(AttemptObservation observation) => throw new InvalidOperationException($"observe {++Calls}");

        public void ObserveFeedback(QualityFeedback feedback) => throw new InvalidOperationException($"feedback {++Calls}");

        public IReadOnlyDictionary<string, string> DescribeParameters() => new Dictionary<string, string>();
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> CutAfter(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, $"part{i} ");
        }

        throw new IOException("connection reset");
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Slow(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int i = 0; i < 100; i++)
        {
            await Task.Delay(20, cancellationToken);
            yield return new ChatResponseUpdate(ChatRole.Assistant, $"chunk number {i} ");
        }
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> EmptyIdFirst()
    {
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, "a") { ResponseId = string.Empty };
        yield return new ChatResponseUpdate(ChatRole.Assistant, "b") { ResponseId = "resp-9" };
        yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop, ResponseId = "resp-9" };
    }

    private static ModelCandidate Candidate(
        string id,
        IChatClient client,
        decimal input = 0,
        decimal output = 0,
        ModelCapabilities capabilities = ModelCapabilities.All) =>
        new(id, client, new ModelPricing(input, output), capabilities: capabilities);

    [Fact]
    public async Task AFeaturizerThatWritesNaN_FailsTheRequestNamingTheFeaturizerAndTheIndex()
    {
        var candidate = FakeChatClient.Answering("a", "x");
        using var router = new MetaModelChatClient(
            [Candidate("A", candidate)], _policy, recorder: _recorder, featurizer: new NaNFeaturizer());

        Func<Task> call = () => router.GetResponseAsync(Chat.Prompt("hello"));

        (await call.Should().ThrowAsync<InvalidOperationException>())
            .WithMessage($"The featurizer {typeof(NaNFeaturizer).FullName} wrote NaN at index 2 of the features*");
        candidate.Calls.Should().Be(0);
    }

    /// <summary>Keeps records in memory, refusing the first few feedback records as a full log would.</summary>
    private sealed class RefusingFeedbackRecorder : IComplianceRecorder
    {
        private readonly InMemoryComplianceRecorder _inner = new();

        public int Refusals { get; set; }

        public IReadOnlyList<FeedbackRecord> Feedback => _inner.Feedback;

        public void RecordDecision(DecisionRecord record) => _inner.RecordDecision(record);

        public void RecordAttempt(AttemptRecord record) => _inner.RecordAttempt(record);

        public void RecordOutcome(OutcomeRecord record) => _inner.RecordOutcome(record);

        public void RecordFeedback(FeedbackRecord record)
        {
            if (Refusals > 0)
            {
                Refusals--;
                throw new InvalidOperationException("The log is full.");
            }

            _inner.RecordFeedback(record);
        }
    }

    private sealed class FixedFeaturizer(int dimension) : IPromptFeaturizer
    {
        public int Dimension => dimension;

        public ValueTask FeaturizeAsync(
            IEnumerable<ChatMessage> messages,
            Memory<float> destination,
            CancellationToken cancellationToken = default)
        {
            destination.Span.Fill(1);
            return default;
        }
    }

    private sealed class NaNFeaturizer : IPromptFeaturizer
    {
        public int Dimension => 4;

        public ValueTask FeaturizeAsync(
            IEnumerable<ChatMessage> messages,
            Memory<float> destination,
            CancellationToken cancellationToken = default)
        {
            destination.Span.Fill(0.5f);
            destination.Span[2] = float.NaN;
            return default;
        }
    }

    private MetaModelChatClient Create(params ModelCandidate[] candidates) => Create(null, candidates);

    private MetaModelChatClient Create(MetaModelOptions? options, params ModelCandidate[] candidates) =>
        new(candidates, _policy, options, _recorder);
}

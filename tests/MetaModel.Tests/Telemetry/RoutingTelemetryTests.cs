using System.Diagnostics;
using System.Text.Json;
using MetaModel.Candidates;
using MetaModel.Compliance;
using MetaModel.Costs;
using MetaModel.Policies;
using MetaModel.Routing;
using MetaModel.Telemetry;
using MetaModel.Tests.Fakes;
using Microsoft.Extensions.AI;
using OpenTelemetry.Metrics;
using Attr = MetaModel.Telemetry.MetaModelTelemetry.Attributes;

namespace MetaModel.Tests.Telemetry;

/// <summary>Spans and metrics as the real OpenTelemetry SDK receives them.</summary>
public sealed class RoutingTelemetryTests : IDisposable
{
    private static int s_routers;

    private readonly TelemetryCapture _capture = new();
    private readonly InMemoryComplianceRecorder _recorder = new();
    private readonly string _routerName = "telemetry-" + Interlocked.Increment(ref s_routers);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_WithFailover_RequestSpanUnderCallerAndOneSpanPerAttemptUnderIt(bool streaming)
    {
        using MetaModelChatClient router = CreateFailingThenAnswering();
        Activity caller = TelemetryCapture.Caller.StartActivity("caller")!;

        var (response, _) = await Chat.CallAsync(router, streaming, options: new ChatOptions().WithTenant("acme"));
        caller.Stop();

        List<Activity> trace = _capture.Trace(caller.TraceId);
        Activity request = trace.Single(a => a.Source.Name == MetaModelTelemetry.SourceName && a.Kind == ActivityKind.Internal);
        Activity[] attempts = [.. trace.Where(a => a.Kind == ActivityKind.Client).OrderBy(a => a.StartTimeUtc)];

        request.DisplayName.Should().Be("chat " + _routerName);
        request.ParentSpanId.Should().Be(caller.SpanId);
        attempts.Should().HaveCount(2).And.OnlyContain(a => a.ParentSpanId == request.SpanId);
        string decisionId = _recorder.Decisions.Single().DecisionId;

        request.GetTagItem(Attr.OperationName).Should().Be("chat");
        request.GetTagItem(Attr.ProviderName).Should().Be("metamodel");
        request.GetTagItem(Attr.RequestModel).Should().Be(_routerName);
        request.GetTagItem(Attr.ResponseModel).Should().Be("b-model");
        request.GetTagItem(Attr.InputTokens).Should().Be(10L);
        request.GetTagItem(Attr.OutputTokens).Should().Be(2L);
        request.GetTagItem(Attr.FinishReasons).Should().BeEquivalentTo(new[] { "stop" });
        request.GetTagItem(Attr.DecisionId).Should().Be(decisionId);
        request.GetTagItem(Attr.PolicyName).Should().Be("ordered");
        request.GetTagItem(Attr.ChosenCandidate).Should().Be("A");
        request.GetTagItem(Attr.CandidateId).Should().Be("B");
        request.GetTagItem(Attr.Ranked).Should().BeEquivalentTo(new[] { "A", "B" });
        request.GetTagItem(Attr.Scores).Should().BeEquivalentTo(new[] { 2.0, 1.0 });
        request.GetTagItem(Attr.Explored).Should().Be(false);
        request.GetTagItem(Attr.ExcludedCount).Should().BeNull("no candidate was excluded");
        request.GetTagItem(Attr.AttemptCount).Should().Be(2);
        request.GetTagItem(Attr.FallbackReason).Should().Be(typeof(HttpRequestException).FullName);
        request.GetTagItem(Attr.CostUsd).Should().Be((double)response.GetRoutingInfo()!.CostUsd);
        request.GetTagItem(Attr.EnergyWattHours).Should().Be(response.GetRoutingInfo()!.EnergyWattHours);
        request.GetTagItem(Attr.Streaming).Should().Be(streaming ? true : null);
        request.GetTagItem(Attr.TenantId).Should().Be("acme");
        request.Status.Should().Be(ActivityStatusCode.Unset);

        Activity failed = attempts[0];
        failed.DisplayName.Should().Be("chat A");
        failed.GetTagItem(Attr.ProviderName).Should().Be(_routerName + "-provider-a");
        failed.GetTagItem(Attr.RequestModel).Should().Be("A");
        failed.GetTagItem(Attr.AttemptNumber).Should().Be(1);
        failed.GetTagItem(Attr.ErrorType).Should().Be(typeof(HttpRequestException).FullName);
        failed.GetTagItem(Attr.WillFallBack).Should().Be(true);
        failed.Status.Should().Be(ActivityStatusCode.Error);

        Activity answered = attempts[1];
        answered.GetTagItem(Attr.CandidateId).Should().Be("B");
        answered.GetTagItem(Attr.AttemptNumber).Should().Be(2);
        answered.GetTagItem(Attr.ResponseModel).Should().Be("b-model");
        answered.GetTagItem(Attr.OutputTokens).Should().Be(2L);
        answered.GetTagItem(Attr.ErrorType).Should().BeNull();
        answered.Duration.Should().BeGreaterThan(TimeSpan.Zero);

        // Nothing the user wrote leaves through traces by default.
        trace.Should().OnlyContain(a => a.GetTagItem(Attr.InputMessages) == null && a.GetTagItem(Attr.OutputMessages) == null);
        request.GetTagItem(Attr.UserKey).Should().BeNull();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_SensitiveDataEnabled_SpanCarriesMessagesAndUserKey(bool streaming)
    {
        var b = FakeChatClient.Answering("b", "four it is");
        using var router = new MetaModelChatClient(
            [new ModelCandidate("B", b)],
            new OrderedRoutingPolicy(),
            new MetaModelOptions { Name = _routerName, EnableSensitiveTelemetryData = true });
        Activity caller = TelemetryCapture.Caller.StartActivity("caller")!;

        await Chat.CallAsync(router, streaming, "What is 2 + 2?", new ChatOptions().WithUser("user-9"));
        caller.Stop();

        Activity request = _capture.Trace(caller.TraceId)
            .Single(a => a.Kind == ActivityKind.Internal && a.Source.Name == MetaModelTelemetry.SourceName);
        using JsonDocument input = JsonDocument.Parse((string)request.GetTagItem(Attr.InputMessages)!);
        using JsonDocument output = JsonDocument.Parse((string)request.GetTagItem(Attr.OutputMessages)!);
        input.RootElement[0].GetProperty("role").GetString().Should().Be("user");
        input.RootElement[0].GetProperty("parts")[0].GetProperty("content").GetString().Should().Be("What is 2 + 2?");
        output.RootElement[0].GetProperty("role").GetString().Should().Be("assistant");
        output.RootElement[0].GetProperty("parts")[0].GetProperty("content").GetString().Should().Be("four it is");
        request.GetTagItem(Attr.UserKey).Should().Be("user-9");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_NoEligibleCandidate_RequestSpanEndsWithError(bool streaming)
    {
        using var router = new MetaModelChatClient(
            [new ModelCandidate("A", FakeChatClient.Answering("a", "x"), capabilities: ModelCapabilities.None)],
            new OrderedRoutingPolicy(),
            new MetaModelOptions { Name = _routerName });
        Activity caller = TelemetryCapture.Caller.StartActivity("caller")!;

        Func<Task> call = () =>
            Chat.CallAsync(router, streaming, options: new ChatOptions { ResponseFormat = ChatResponseFormat.Json });
        await call.Should().ThrowAsync<NoEligibleCandidateException>();
        caller.Stop();

        Activity request = _capture.Trace(caller.TraceId).Single(a => a.Source.Name == MetaModelTelemetry.SourceName);
        request.Status.Should().Be(ActivityStatusCode.Error);
        request.GetTagItem(Attr.ErrorType).Should().Be(typeof(NoEligibleCandidateException).FullName);
        request.GetTagItem(Attr.ExcludedCount).Should().Be(1);
        var (_, decisions) = _capture.Metric(MetaModelTelemetry.Metrics.Decisions, _routerName);
        decisions.Should().ContainSingle().Which.GetSumLong().Should().Be(1);
        TelemetryCapture.Tags(decisions[0])[Attr.CandidateId].Should().Be("none");
    }

    [Theory]
    [InlineData(false, "failed")]
    [InlineData(true, "cancelled")]
    public async Task Call_FeaturizerFailsOrIsCancelled_RequestSpanEndsWithErrorAndIsCounted(bool cancel, string outcome)
    {
        // The request span was started before featurizing and never stopped when the featurizer (an embedding
        // service, say) or the policy threw, so the failed request never reached the traces or the request metric.
        using var cancellation = new CancellationTokenSource();
        var featurizer = new ThrowingFeaturizer(cancel ? cancellation : null);
        using var router = new MetaModelChatClient(
            [new ModelCandidate("A", FakeChatClient.Answering("a", "x"))],
            new BanditRoutingPolicy(),
            new MetaModelOptions { Name = _routerName },
            featurizer: featurizer);
        Activity caller = TelemetryCapture.Caller.StartActivity("caller")!;

        Func<Task> call = () => Chat.CallAsync(router, streaming: false, cancellationToken: cancellation.Token);
        await call.Should().ThrowAsync<Exception>();
        caller.Stop();

        Activity request = _capture.Trace(caller.TraceId).Single(a => a.Source.Name == MetaModelTelemetry.SourceName);
        request.Status.Should().Be(ActivityStatusCode.Error);
        request.GetTagItem(Attr.ErrorType).Should().Be(
            cancel ? typeof(OperationCanceledException).FullName : typeof(InvalidOperationException).FullName);
        var (_, requests) = _capture.Metric(MetaModelTelemetry.Metrics.Requests, _routerName);
        TelemetryCapture.Tags(requests.Single())[Attr.Outcome].Should().Be(outcome);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_AllCandidatesFail_EveryAttemptAndTheRequestEndWithError(bool streaming)
    {
        using var router = new MetaModelChatClient(
            [new ModelCandidate("A", FakeChatClient.Failing("a", () => new TimeoutException("slow")))],
            new OrderedRoutingPolicy(),
            new MetaModelOptions { Name = _routerName });
        Activity caller = TelemetryCapture.Caller.StartActivity("caller")!;

        Func<Task> call = () => Chat.CallAsync(router, streaming);
        await call.Should().ThrowAsync<RoutingFailedException>();
        caller.Stop();

        List<Activity> trace = _capture.Trace(caller.TraceId);
        trace.Single(a => a.Kind == ActivityKind.Client).GetTagItem(Attr.ErrorType)
            .Should().Be(typeof(TimeoutException).FullName);
        Activity request = trace.Single(a => a.Kind == ActivityKind.Internal && a.Source.Name == MetaModelTelemetry.SourceName);
        request.GetTagItem(Attr.ErrorType).Should().Be(typeof(RoutingFailedException).FullName);
        request.Status.Should().Be(ActivityStatusCode.Error);
        var (_, requests) = _capture.Metric(MetaModelTelemetry.Metrics.Requests, _routerName);
        TelemetryCapture.Tags(requests.Single())[Attr.Outcome].Should().Be("failed");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Metrics_NamesUnitsBucketsAndTags_FollowTheConventions(bool streaming)
    {
        using MetaModelChatClient router = CreateFailingThenAnswering();

        var (response, _) = await Chat.CallAsync(router, streaming);
        await Chat.CallAsync(router, streaming);

        // The conventions' metrics carry the conventions' attributes only: this test's candidates are told apart by
        // their providers.
        var (duration, durationPoints) = _capture.Metric(MetaModelTelemetry.Metrics.OperationDuration, OurProviders);
        duration.Unit.Should().Be("s");
        duration.MetricType.Should().Be(MetricType.Histogram);
        durationPoints.Should().HaveCount(2, "one series for the failed candidate, one for the answering one");
        MetricPoint failedSeries = durationPoints.Single(p => TelemetryCapture.Tags(p).ContainsKey(Attr.ErrorType));
        TelemetryCapture.Tags(failedSeries).Should().Contain(Attr.ErrorType, typeof(HttpRequestException).FullName)
            .And.Contain(Attr.RequestModel, "A").And.Contain(Attr.OperationName, "chat")
            .And.Contain(Attr.ProviderName, _routerName + "-provider-a");
        failedSeries.GetHistogramCount().Should().Be(2);
        MetricPoint answeredSeries = durationPoints.Single(p => !TelemetryCapture.Tags(p).ContainsKey(Attr.ErrorType));
        TelemetryCapture.Tags(answeredSeries).Should().Contain(Attr.ResponseModel, "b-model");
        var bounds = new List<double>();
        foreach (HistogramBucket bucket in answeredSeries.GetHistogramBuckets())
        {
            bounds.Add(bucket.ExplicitBound);
        }

        bounds.Should().StartWith([0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92]);

        var (tokens, tokenPoints) = _capture.Metric(MetaModelTelemetry.Metrics.TokenUsage, OurProviders);
        tokens.Unit.Should().Be("{token}");
        tokenPoints.Select(p => ((string)TelemetryCapture.Tags(p)[Attr.TokenType]!, p.GetHistogramSum()))
            .Should().BeEquivalentTo([("input", 20.0), ("output", 4.0)]);

        var (decisions, decisionPoints) = _capture.Metric(MetaModelTelemetry.Metrics.Decisions, _routerName);
        decisions.Unit.Should().Be("{decision}");
        decisionPoints.Single().GetSumLong().Should().Be(2);
        TelemetryCapture.Tags(decisionPoints.Single()).Should().Contain(Attr.PolicyName, "ordered")
            .And.Contain(Attr.CandidateId, "A");

        var (_, fallbacks) = _capture.Metric(MetaModelTelemetry.Metrics.Fallbacks, _routerName);
        fallbacks.Single().GetSumLong().Should().Be(2);
        TelemetryCapture.Tags(fallbacks.Single()).Should().Contain(Attr.CandidateId, "A")
            .And.Contain(Attr.ErrorType, typeof(HttpRequestException).FullName);

        var (cost, costPoints) = _capture.Metric(MetaModelTelemetry.Metrics.Cost, _routerName);
        cost.Unit.Should().Be("{USD}");
        costPoints.Single().GetSumDouble().Should().BeApproximately(2 * (double)response.GetRoutingInfo()!.CostUsd, 1e-12);

        var (energy, energyPoints) = _capture.Metric(MetaModelTelemetry.Metrics.Energy, _routerName);
        energy.Unit.Should().Be("W.h");
        energyPoints.Single().GetSumDouble()
            .Should().BeApproximately(2 * response.GetRoutingInfo()!.EnergyWattHours!.Value, 1e-12);

        var (overhead, overheadPoints) = _capture.Metric(MetaModelTelemetry.Metrics.RoutingOverhead, _routerName);
        overhead.Unit.Should().Be("s");
        overheadPoints.Single().GetHistogramCount().Should().Be(2);

        var (_, requests) = _capture.Metric(MetaModelTelemetry.Metrics.Requests, _routerName);
        TelemetryCapture.Tags(requests.Single()).Should().Contain(Attr.Outcome, "succeeded").And.Contain(Attr.CandidateId, "B");

        _capture.HasMetric(MetaModelTelemetry.Metrics.TimeToFirstChunk, OurProviders)
            .Should().Be(streaming, "only streams have a first chunk");
        TelemetryCapture.Tags(answeredSeries).Keys.Should().BeEquivalentTo(
            [Attr.OperationName, Attr.ProviderName, Attr.RequestModel, Attr.ResponseModel]);
    }

    [Fact]
    public async Task Gauges_ReportEveryCandidatesCircuitAndEveryBudgetsRemainingSpend()
    {
        var options = new MetaModelOptions { Name = _routerName };
        options.Budgets.Add(new BudgetLimit("acme", BudgetPeriod.Day, 10m));
        var b = FakeChatClient.Answering("b", "the answer", new UsageDetails { InputTokenCount = 10, OutputTokenCount = 2 });
        using var router = new MetaModelChatClient(
            [
                new ModelCandidate(
                    "A",
                    FakeChatClient.Failing(
                        "a",
                        () => new HttpRequestException("overloaded", null, System.Net.HttpStatusCode.ServiceUnavailable))),
                new ModelCandidate("B", b, new ModelPricing(1_000m, 2_000m)),
            ],
            new OrderedRoutingPolicy(),
            options);

        ChatResponse response = await router.GetResponseAsync("hi", new ChatOptions().WithTenant("acme"));

        var (circuits, circuitPoints) = _capture.Metric(MetaModelTelemetry.Metrics.CircuitState, _routerName);
        circuits.Unit.Should().Be("{state}");
        Dictionary<string, MetricPoint> byCandidate =
            circuitPoints.ToDictionary(p => (string)TelemetryCapture.Tags(p)[Attr.CandidateId]!);
        byCandidate.Keys.Should().BeEquivalentTo(["A", "B"]);
        foreach (var health in router.GetCandidateHealth())
        {
            byCandidate[health.CandidateId].GetGaugeLastValueLong().Should().Be((long)health.State);
            TelemetryCapture.Tags(byCandidate[health.CandidateId])[Attr.CircuitState].Should().Be(health.State.ToString());
        }

        byCandidate["B"].GetGaugeLastValueLong().Should().Be(0, "the answering candidate is healthy");

        var (budget, budgetPoints) = _capture.Metric(MetaModelTelemetry.Metrics.BudgetRemaining, _routerName);
        budget.Unit.Should().Be("{USD}");
        MetricPoint acme = budgetPoints.Single();
        TelemetryCapture.Tags(acme).Should().Contain(Attr.TenantId, "acme").And.Contain(Attr.BudgetPeriod, "Day");
        acme.GetGaugeLastValueDouble().Should().BeApproximately(10 - (double)response.GetRoutingInfo()!.CostUsd, 1e-9);
    }

    public void Dispose() => _capture.Dispose();

    private bool OurProviders(Dictionary<string, object?> tags) =>
        tags.GetValueOrDefault(Attr.ProviderName) as string is { } provider &&
        provider.StartsWith(_routerName, StringComparison.Ordinal);

    private MetaModelChatClient CreateFailingThenAnswering()
    {
        var a = FakeChatClient.Failing("a", () => new HttpRequestException("overloaded"));
        var b = FakeChatClient.Answering("b", "the answer", new UsageDetails { InputTokenCount = 10, OutputTokenCount = 2 });
        var energy = new EnergyProfile(0.001, 0.002, "test figures");
        return new MetaModelChatClient(
            [
                new ModelCandidate("A", a, tags: new Dictionary<string, string> { ["provider"] = _routerName + "-provider-a" }),
                new ModelCandidate(
                    "B",
                    b,
                    new ModelPricing(1m, 2m),
                    tags: new Dictionary<string, string> { ["provider"] = _routerName + "-provider-b" },
                    energy: energy),
            ],
            new OrderedRoutingPolicy(),
            new MetaModelOptions { Name = _routerName },
            _recorder);
    }

    private sealed class ThrowingFeaturizer(CancellationTokenSource? cancel) : IPromptFeaturizer
    {
        public int Dimension => 4;

        public ValueTask FeaturizeAsync(
            IEnumerable<ChatMessage> messages,
            Memory<float> destination,
            CancellationToken cancellationToken = default)
        {
            if (cancel is null)
            {
                throw new InvalidOperationException("The embedding service is down.");
            }

            cancel.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.CompletedTask;
        }
    }
}

using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using MetaModel.Candidates;
using MetaModel.Compliance;
using MetaModel.Costs;
using MetaModel.Resilience;
using MetaModel.Routing;
using MetaModel.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetaModel;

/// <summary>
/// The chat client that applications call: for each request it excludes the candidates that cannot serve it, lets the
/// routing policy rank the rest, invokes them with failover, and records the decision and every attempt.
/// </summary>
/// <remarks>
/// <para>
/// Invocation and failover follow the platform's <see cref="FailoverChatClient"/>: a failed candidate is followed by
/// the next ranked one only while no streamed output has reached the caller; cancellation is never failed over. Each
/// candidate is tried at most once per request unless retries are configured
/// (<see cref="FailoverOptions.MaxRetriesPerCandidate"/>), and at most
/// <see cref="MetaModelOptions.MaxAttemptsPerRequest"/> attempts are made. How each fault is classified, when a
/// candidate cools down and how budgets are reserved is described in <see cref="MetaModelOptions.Failover"/>,
/// <see cref="FaultClassifier"/> and <see cref="BudgetLedger"/>.
/// </para>
/// <para>
/// A stream whose answer breaks off after output reached the caller ends with a
/// <see cref="ResponseIncompleteException"/> (or an <c>incomplete</c> finish, see
/// <see cref="FailoverOptions.IncompleteStreams"/>), never as a silent success.
/// </para>
/// <para>
/// A request may pin a candidate by putting its id in <see cref="ChatOptions.ModelId"/>; the metamodel's
/// <see cref="MetaModelOptions.Name"/> or no model id lets the policy choose. Any other model id is refused with a
/// <see cref="NoEligibleCandidateException"/>. Tenant, user and per-request constraints are read from the options
/// (see <see cref="MetaModelChatExtensions"/>) and removed before the request reaches a candidate.
/// </para>
/// <para>
/// Every response names the candidate that really answered, in <see cref="MetaModelPropertyNames.CandidateId"/> and
/// in a <see cref="RoutingInfo"/> (see <see cref="MetaModelChatExtensions.GetRoutingInfo"/>); its
/// <see cref="ChatResponse.ModelId"/> is the model id the provider reported, or the candidate id when it reported
/// none. A streamed response ends with one extra update without content that carries the same
/// <see cref="RoutingInfo"/>. The client is thread-safe. Disposing it does not dispose the candidates' clients.
/// </para>
/// </remarks>
public sealed partial class MetaModelChatClient : IChatClient, IRoutingFeedback
{
    private readonly IModelCandidate[] _candidates;
    private readonly IRoutingPolicy _policy;
    private readonly IComplianceRecorder _recorder;
    private readonly IPromptFeaturizer? _featurizer;

    /// <summary>The featurizer run on each request: none when the policy reads no features.</summary>
    private readonly IPromptFeaturizer? _requestFeaturizer;
    private readonly MetaModelOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CandidateFailoverChatClient _failover;
    private readonly CandidateRuntime[] _runtimes;
    private readonly BudgetLedger _budgets;
    private readonly FeedbackLedger _ledger;
    private readonly ChatClientMetadata _metadata;
    private readonly RoutingTelemetry _telemetry;

    /// <summary>Initializes a new instance of the <see cref="MetaModelChatClient"/> class.</summary>
    /// <param name="candidates">The candidates, in registration order; ids must be unique.</param>
    /// <param name="policy">The routing policy.</param>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <param name="recorder">The compliance recorder; records are kept nowhere when <see langword="null"/>.</param>
    /// <param name="featurizer">The prompt featurizer; policies see an empty feature vector when <see langword="null"/>.</param>
    /// <param name="timeProvider">
    /// The clock for record timestamps, timeouts, retry delays, cooldowns, capacity windows and budget periods; the
    /// system clock when <see langword="null"/>.
    /// </param>
    /// <param name="logger">The logger; nothing is logged when <see langword="null"/>.</param>
    /// <exception cref="MetaModelConfigurationException">
    /// The configuration is invalid; the message lists every problem.
    /// </exception>
    public MetaModelChatClient(
        IEnumerable<IModelCandidate> candidates,
        IRoutingPolicy policy,
        MetaModelOptions? options = null,
        IComplianceRecorder? recorder = null,
        IPromptFeaturizer? featurizer = null,
        TimeProvider? timeProvider = null,
        ILogger<MetaModelChatClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(policy);

        _candidates = candidates.ToArray();
        _policy = policy;
        _options = options ?? new MetaModelOptions();
        List<string> problems = ConfigurationValidator.Validate(_candidates, _options, featurizer);
        if (problems.Count == 0 && policy is ICandidateAwarePolicy candidateAware)
        {
            problems.AddRange(candidateAware.Initialize(_candidates, featurizer));
        }

        MetaModelConfigurationException.ThrowIfInvalid(problems);

        _recorder = recorder ?? NullComplianceRecorder.Instance;
        _featurizer = featurizer;
        _requestFeaturizer = policy.UsesFeatures ? featurizer : null;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _budgets = new BudgetLedger(_options.Budgets, _timeProvider);
        _runtimes = Array.ConvertAll(
            _candidates,
            c => new CandidateRuntime(c, _options.Failover, _timeProvider, OnHealthChanged));
        _failover = new CandidateFailoverChatClient(this, _runtimes, _options.Failover, _budgets, _timeProvider, _logger);
        _ledger = new FeedbackLedger(_options.FeedbackCapacity);
        _metadata = new ChatClientMetadata("metamodel", defaultModelId: _options.Name);
        _telemetry = new RoutingTelemetry(_options.Name, _candidates, _options.EnableSensitiveTelemetryData);
        RoutingGauges.Add(this);
    }

    /// <summary>Gets the candidates, in registration order.</summary>
    public IReadOnlyList<IModelCandidate> Candidates => _candidates;

    /// <summary>Gets the routing policy.</summary>
    public IRoutingPolicy Policy => _policy;

    /// <summary>Gets the featurizer that describes prompts to the policy, or <see langword="null"/> when there is none.</summary>
    /// <remarks>
    /// Featurize historical prompts with it to warm-start a learning policy, so history and live requests match.
    /// </remarks>
    public IPromptFeaturizer? Featurizer => _featurizer;

    /// <summary>Gets the settings.</summary>
    public MetaModelOptions Options => _options;

    /// <summary>Gets the budgets' ledger: what is spent and reserved per tenant and period.</summary>
    public BudgetLedger Budgets => _budgets;

    /// <summary>Occurs when a candidate's circuit changes state (cools down, is probed, recovers).</summary>
    /// <remarks>Raised on the thread of the request that caused the change; handlers must be quick and must not throw.</remarks>
    public event EventHandler<CandidateHealthChangedEventArgs>? HealthChanged;

    /// <summary>Gets every candidate's health now, in registration order.</summary>
    /// <returns>One snapshot per candidate.</returns>
    public IReadOnlyList<CandidateHealthSnapshot> GetCandidateHealth()
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        return Array.ConvertAll(_runtimes, r => r.Health.Snapshot(now));
    }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);

        (RoutedRequest request, ChatOptions? forwarded) =
            await BeginAsync(messages, options, streaming: false, cancellationToken).ConfigureAwait(false);

        ChatResponse response;
        try
        {
            response = await _failover.GetResponseAsync(request, forwarded, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            EndFailed(request, ex, updateCount: 0, usage: null, outputCharacters: 0);
            throw;
        }

        long characters = 0;
        foreach (ChatMessage message in response.Messages)
        {
            characters += CountText(message.Contents);
        }

        bool truncated = response.FinishReason == ChatFinishReason.Length;
        RoutingInfo info = EndSucceeded(
            request,
            response.Usage,
            response.AdditionalProperties,
            characters,
            response.FinishReason,
            truncated,
            updateCount: 0,
            response.ResponseId,
            response.ModelId,
            response.Messages);

        IModelCandidate answered = request.Current!;
        ContentCapture.Record(_recorder, request.DecisionId, answered.Id, request, response.Text, _timeProvider.GetUtcNow());
        response.ModelId ??= answered.Id;
        response.ResponseId ??= request.DecisionId;
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[MetaModelPropertyNames.CandidateId] = answered.Id;
        response.AdditionalProperties[MetaModelPropertyNames.DecisionId] = request.DecisionId;
        response.AdditionalProperties[MetaModelPropertyNames.RoutingInfo] = info;
        return response;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);

        (RoutedRequest request, ChatOptions? forwarded) =
            await BeginAsync(messages, options, streaming: true, cancellationToken).ConfigureAwait(false);

        UsageDetails? usage = null;
        AdditionalPropertiesDictionary? reported = null;
        ChatFinishReason? finishReason = null;
        string? responseId = null;
        string? modelId = null;
        long characters = 0;
        int updateCount = 0;
        bool ended = false;
        ChatResponseUpdate? incomplete = null;
        var capturedAnswer = ContentCapture.StartAnswer(_recorder);

        IAsyncEnumerator<ChatResponseUpdate> enumerator = _failover
            .GetStreamingResponseAsync(request, forwarded, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = enumerator.Current;
                }
                catch (Exception ex) when (updateCount > 0 && !cancellationToken.IsCancellationRequested)
                {
                    // Output already reached the caller: nothing may be failed over, and the cut answer must not
                    // pass for a whole one.
                    ended = true;
                    FaultClassification fault = request.LastFault ?? FaultClassifier.Classify(ex, _timeProvider.GetUtcNow());
                    var error = new ResponseIncompleteException(request.DecisionId, request.Current!.Id, updateCount, fault, ex);
                    EndFailed(request, error, updateCount, usage, characters);
                    ResilienceLog.ResponseIncomplete(_logger, request.DecisionId, request.Current.Id, updateCount, fault.Kind);
                    if (_options.Failover.IncompleteStreams == IncompleteStreamHandling.Throw)
                    {
                        throw error;
                    }

                    incomplete = IncompleteUpdate(request, error);
                    break;
                }
                catch (Exception ex)
                {
                    ended = true;
                    EndFailed(request, ex, updateCount, usage, characters);
                    throw;
                }

                foreach (AIContent content in update.Contents)
                {
                    if (content is UsageContent usageContent)
                    {
                        (usage ??= new UsageDetails()).Add(usageContent.Details);
                    }
                }

                characters += CountText(update.Contents);
                ContentCapture.Append(capturedAnswer, update);
                finishReason = update.FinishReason ?? finishReason;
                if (string.IsNullOrEmpty(responseId))
                {
                    // Some providers send an empty id on the first update and the real one later.
                    responseId = update.ResponseId;
                }

                if (update.AdditionalProperties?.ContainsKey(MetaModelPropertyNames.ReportedCostUsd) == true)
                {
                    reported = update.AdditionalProperties;
                }

                RoutingTelemetry.StreamedUpdate(request.Telemetry, update);
                string candidateId = request.Current!.Id;
                update.ModelId ??= candidateId;
                modelId = update.ModelId;
                update.AdditionalProperties ??= [];
                update.AdditionalProperties[MetaModelPropertyNames.CandidateId] = candidateId;
                update.AdditionalProperties[MetaModelPropertyNames.DecisionId] = request.DecisionId;
                updateCount++;
                yield return update;
            }

            if (incomplete is not null)
            {
                yield return incomplete;
                yield break;
            }

            // A stream that ends without a finish reason was cut off, or its finish was lost: either way the
            // answer cannot be trusted to be whole, and the record says so.
            bool truncated = finishReason is null || finishReason == ChatFinishReason.Length;
            ended = true;
            RoutingInfo info = EndSucceeded(
                request,
                usage,
                reported,
                characters,
                finishReason,
                truncated,
                updateCount,
                responseId,
                modelId,
                output: null);
            ContentCapture.Record(
                _recorder,
                request.DecisionId,
                request.Current!.Id,
                request,
                capturedAnswer?.ToString(),
                _timeProvider.GetUtcNow());

            // A last, content-free update carries the routing summary, so that a response assembled from the
            // updates (ToChatResponse) has the same routing info as a non-streamed one, and, when the provider sent
            // no response id, the decision id as its response id, as a non-streamed one has.
            yield return new ChatResponseUpdate
            {
                ResponseId = string.IsNullOrEmpty(responseId) ? request.DecisionId : responseId,
                ModelId = modelId ?? request.Current!.Id,
                AdditionalProperties = new()
                {
                    [MetaModelPropertyNames.CandidateId] = info.CandidateId,
                    [MetaModelPropertyNames.DecisionId] = info.DecisionId,
                    [MetaModelPropertyNames.RoutingInfo] = info,
                },
            };
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            if (!ended)
            {
                // The caller stopped enumerating early: what it received is all there is.
                EndAbandoned(request, usage, characters, updateCount);
            }
        }
    }

    /// <inheritdoc/>
    public bool TryReportQuality(string decisionOrResponseId, double quality)
    {
        ArgumentException.ThrowIfNullOrEmpty(decisionOrResponseId);
        if (!double.IsFinite(quality) || quality is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(quality),
                quality,
                "Quality must be a finite number between 0 (useless) and 1 (perfect).");
        }

        if (!_ledger.TryClaim(decisionOrResponseId, out FeedbackLedger.Claim entry))
        {
            Log.FeedbackUnmatched(_logger, decisionOrResponseId);
            return false;
        }

        try
        {
            _recorder.RecordFeedback(new FeedbackRecord(
                entry.DecisionId,
                _timeProvider.GetUtcNow(),
                entry.CandidateId,
                quality,
                entry.First));
        }
        catch when (entry.First)
        {
            // Neither logged nor learned: the caller may report it again, and that report must still teach.
            _ledger.Unclaim(entry.DecisionId);
            throw;
        }

        if (entry.First)
        {
            var feedback = new QualityFeedback(
                entry.DecisionId,
                entry.CandidateId,
                entry.Features,
                quality,
                entry.CostUsd,
                entry.Latency);
            try
            {
                _policy.ObserveFeedback(feedback);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.PolicyLearningFailed(_logger, _policy.Name, entry.DecisionId, ex);
            }
        }

        return true;
    }

    /// <summary>Reports the quality of an earlier response, failing if the decision is unknown.</summary>
    /// <param name="decisionOrResponseId">The decision id (from <see cref="RoutingInfo"/>) or the response id.</param>
    /// <param name="quality">The score, from 0 (useless) to 1 (perfect).</param>
    /// <exception cref="KeyNotFoundException">No kept decision has that id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quality"/> is not between 0 and 1.</exception>
    public void ReportQuality(string decisionOrResponseId, double quality)
    {
        if (!TryReportQuality(decisionOrResponseId, quality))
        {
            throw new KeyNotFoundException(_ledger.IsAmbiguous(decisionOrResponseId)
                ? $"The response id '{decisionOrResponseId}' was given to several decisions that await feedback (the " +
                    "provider reuses response ids), so it names none of them: report by the decision id (RoutingInfo)."
                : $"No routed response with decision or response id '{decisionOrResponseId}' is awaiting feedback: the " +
                    $"id is unknown, or older than the last {_options.FeedbackCapacity} decisions kept (FeedbackCapacity).");
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_policy) ? _policy
            : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        RoutingGauges.Remove(this);
        _failover.Dispose();
    }

    /// <summary>Starts the telemetry of an attempt, right before its candidate is called.</summary>
    internal void OnAttemptStarting(RoutedRequest request, IModelCandidate candidate) =>
        _telemetry.AttemptStarting(request.Telemetry, candidate, request.AttemptCount);

    /// <summary>Records one ended attempt and lets the policy learn from a failure at once.</summary>
    internal void OnAttemptEnded(
        RoutedRequest request,
        FailoverChatClientAttempt attempt,
        bool willFailOver,
        FaultClassification? fault)
    {
        IModelCandidate candidate = request.Current!;
        request.LastAttemptDuration = attempt.Duration;
        Exception? error = attempt.Exception;
        bool failed = error is not null && !attempt.ResponseCompleted;
        _recorder.RecordAttempt(new AttemptRecord(
            request.DecisionId,
            request.AttemptCount,
            candidate.Id,
            _timeProvider.GetUtcNow(),
            attempt.Duration,
            attempt.TimeToFirstUpdate,
            attempt.ResponseCompleted,
            attempt.OutputCommitted,
            error?.GetType().Name,
            error?.Message,
            willFailOver)
        {
            Fault = fault?.Kind,
            Action = fault?.Action,
            StatusCode = fault?.StatusCode,
            RetryAfter = fault?.RetryAfter,
            WasProbe = request.CurrentIsProbe,
        });
        _telemetry.AttemptEnded(
            request.Telemetry,
            candidate,
            attempt.Duration,
            attempt.TimeToFirstUpdate,
            error,
            attempt.ResponseCompleted,
            willFailOver);

        if (!failed || fault?.Kind == FaultKind.Cancelled)
        {
            return;
        }

        request.Failures.Add(new AttemptFailure(candidate.Id, error!, attempt.Duration) { Fault = fault ?? default });
        Log.AttemptFailed(_logger, request.DecisionId, request.AttemptCount, candidate.Id, error!.GetType().Name, willFailOver);
        Learn(new AttemptObservation(
            request.DecisionId,
            candidate.Id,
            request.Features,
            Succeeded: false,
            error,
            attempt.Duration,
            attempt.TimeToFirstUpdate,
            Usage: null,
            CostUsd: 0,
            CostIsEstimated: true)
        {
            EstimatedInputTokens = request.EstimatedInputTokens,
        });
    }

    // A policy that fails to learn must not fail the request that taught it: the answer is already there.
    private void Learn(AttemptObservation observation)
    {
        try
        {
            _policy.Observe(observation);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.PolicyLearningFailed(_logger, _policy.Name, observation.DecisionId, ex);
        }
    }

    private static long CountText(IList<AIContent> contents)
    {
        long characters = 0;
        foreach (AIContent content in contents)
        {
            if (content is TextContent text)
            {
                characters += text.Text.Length;
            }
        }

        return characters;
    }

    private async ValueTask<(RoutedRequest Request, ChatOptions? Forwarded)> BeginAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        bool streaming,
        CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        Activity? activity = _telemetry.StartRequest(options?.ModelId, streaming);
        string decisionId = DecisionIds.Create(_timeProvider.GetUtcNow());
        try
        {
            return await DecideAsync(messages, options, streaming, start, activity, decisionId, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not NoEligibleCandidateException)
        {
            // A refusal has ended the span already; anything else before the decision (the request's entries, the
            // featurizer, the policy, a cancellation) would leave it open, and the request out of the metrics.
            _telemetry.NotRouted(activity, decisionId, _policy.Name, ex);
            throw;
        }
    }

    private async ValueTask<(RoutedRequest Request, ChatOptions? Forwarded)> DecideAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options,
        bool streaming,
        long start,
        Activity? activity,
        string decisionId,
        CancellationToken cancellationToken)
    {
        IList<ChatMessage> list = messages as IList<ChatMessage> ?? messages.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"The message at index {i} is null.", nameof(messages));
            }
        }

        // A negative output limit would make the budget estimate negative, and let the request past a spent budget.
        if (options?.MaxOutputTokens is < 0)
        {
            throw new ArgumentException(
                $"MaxOutputTokens must be zero or more (was {options.MaxOutputTokens}).",
                nameof(options));
        }

        // Read MetaModel's own entries, and take them out of what the candidates will see.
        RequestContext context = RequestContext.From(options, _options.Name, out ChatOptions? forwarded);
        int estimatedTokens = TokenEstimator.ForMessages(list);
        IReadOnlyList<TagConstraint>? tenantConstraints =
            context.TenantId is { } tenant && _options.TenantConstraints.TryGetValue(tenant, out var tenantSet)
                ? tenantSet.AsReadOnly()
                : null;
        var requirements = new RequestRequirements(
            EligibilityEvaluator.RequiredCapabilities(list, forwarded, streaming),
            estimatedTokens,
            forwarded?.MaxOutputTokens ?? 0,
            context.PinnedModel,
            [_options.Constraints.AsReadOnly(), tenantConstraints, context.Constraints]);

        var eligible = new List<IModelCandidate>(_candidates.Length);
        var exclusions = new List<CandidateExclusion>();
        EligibilityEvaluator.Evaluate(_candidates, requirements, eligible, exclusions);

        // Candidates cooling down, out of capacity or over budget are left out before ranking; the caller may opt
        // in to wait, within a bound, for the earliest of them to recover.
        int maxOutput = forwarded?.MaxOutputTokens ?? 0;
        var load = new RequestLoad(
            context.TenantId,
            (long)estimatedTokens + maxOutput,
            forwarded?.MaxOutputTokens ?? _options.ReservedOutputTokens,
            estimatedTokens);
        DateTimeOffset waitUntil = _timeProvider.GetUtcNow() + _options.Failover.MaxWaitForAvailability;
        var deferred = new List<IModelCandidate>();
        DateTimeOffset? earliest;
        try
        {
            earliest = await ExcludeUnavailableAsync(
                decisionId,
                load,
                waitUntil,
                eligible,
                exclusions,
                deferred,
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            RecordDecision(
                decisionId,
                context,
                streaming,
                estimatedTokens,
                exclusions,
                decision: null,
                "the caller cancelled while waiting for a candidate to recover");
            throw;
        }

        if (eligible.Count == 0)
        {
            if (context.PinnedModel is { } pinned && !Array.Exists(_candidates, c => c.Id == pinned))
            {
                exclusions.Insert(0, new CandidateExclusion(pinned, ExclusionKind.NotRequested, "no candidate has this id"));
            }

            RecordDecision(decisionId, context, streaming, estimatedTokens, exclusions, decision: null);
            string summary = string.Join("; ", exclusions);
            Log.NoEligibleCandidate(_logger, decisionId, summary);
            NoEligibleCandidateException refusal = exclusions.Exists(e => e.Kind == ExclusionKind.Unavailable)
                ? new CandidatesUnavailableException(decisionId, exclusions, earliest)
                : new NoEligibleCandidateException(decisionId, exclusions);
            _telemetry.Rejected(activity, decisionId, _policy.Name, exclusions.Count, refusal);
            throw refusal;
        }

        float[] features = _requestFeaturizer is null ? [] : new float[_requestFeaturizer.Dimension];
        if (_requestFeaturizer is not null)
        {
            await _requestFeaturizer.FeaturizeAsync(list, context.Task, features, cancellationToken).ConfigureAwait(false);
            ValidateFeatures(features);
        }

        var routingRequest = new RoutingRequest(
            decisionId,
            list,
            forwarded,
            features,
            eligible,
            estimatedTokens,
            context.TenantId,
            context.UserKey);
        RoutingDecision decision = _policy.Decide(routingRequest) ?? throw new InvalidOperationException(
            $"Policy '{_policy.Name}' returned no decision; a policy must rank at least one of the candidates it is given.");
        ValidateDecision(decision, eligible);
        RecordDecision(decisionId, context, streaming, estimatedTokens, exclusions, decision);
        Log.Decided(_logger, decisionId, _policy.Name, decision.Ranked[0].Candidate.Id, decision.Reason);

        var request = new RoutedRequest(
            list,
            decisionId,
            decision,
            features,
            estimatedTokens,
            _options.MaxAttemptsPerRequest,
            start)
        {
            TenantId = context.TenantId,
            CapacityTokens = load.CapacityTokens,
            BudgetOutputTokens = load.BudgetOutputTokens,
            Eligible = eligible,
            Deferred = deferred,
            Reservation = _budgets.HasLimits ? new BudgetReservation(context.TenantId) : null,
            WaitUntil = _options.Failover.MaxWaitForAvailability > TimeSpan.Zero ? waitUntil : null,
            Telemetry = _telemetry.Decided(activity, routingRequest, context.UserKey, _policy, decision, exclusions.Count, start),
        };
        if (_options.EnableSensitiveTelemetryData && _logger.IsEnabled(LogLevel.Trace))
        {
            Log.PromptContent(_logger, decisionId, TelemetryContent.Messages(list));
        }

        return (request, forwarded);
    }

    /// <summary>Refuses a feature vector with a value that is not finite, naming the featurizer that wrote it.</summary>
    private void ValidateFeatures(float[] features)
    {
        if (TensorPrimitives.IsFiniteAll<float>(features))
        {
            return;
        }

        int bad = Array.FindIndex(features, value => !float.IsFinite(value));
        throw new InvalidOperationException(
            $"The featurizer {_requestFeaturizer!.GetType().FullName} wrote {features[bad]} at index {bad} of the features; " +
            "a featurizer must write finite values.");
    }

    private void ValidateDecision(RoutingDecision decision, List<IModelCandidate> eligible)
    {
        for (int i = 0; i < decision.Ranked.Count; i++)
        {
            CandidateScore score = decision.Ranked[i];
            if (score.Candidate is null)
            {
                throw new InvalidOperationException(
                    $"Policy '{_policy.Name}' ranked no candidate at position {i + 1} (a default CandidateScore). A " +
                    "policy may only rank the candidates it is given.");
            }

            if (!eligible.Contains(score.Candidate))
            {
                throw new InvalidOperationException(
                    $"Policy '{_policy.Name}' ranked candidate '{score.Candidate.Id}', which is not eligible for this " +
                    "request. A policy may only rank the candidates it is given.");
            }
        }
    }

    private void RecordDecision(
        string decisionId,
        RequestContext context,
        bool streaming,
        int estimatedTokens,
        List<CandidateExclusion> exclusions,
        RoutingDecision? decision,
        string noDecisionReason = "no candidate is eligible")
    {
        var assessments = new List<CandidateAssessment>(_candidates.Length + 1);
        if (decision is not null)
        {
            for (int i = 0; i < decision.Ranked.Count; i++)
            {
                CandidateScore score = decision.Ranked[i];
                assessments.Add(new CandidateAssessment(score.Candidate.Id, true, null, null, score.Score, i + 1));
            }
        }

        foreach (CandidateExclusion exclusion in exclusions)
        {
            assessments.Add(new CandidateAssessment(exclusion.CandidateId, false, exclusion.Kind, exclusion.Reason, null, null));
        }

        _recorder.RecordDecision(new DecisionRecord(
            decisionId,
            _timeProvider.GetUtcNow(),
            _options.Name,
            context.TenantId,
            context.UserKey,
            context.RequestedModel,
            streaming,
            estimatedTokens,
            _policy.Name,
            _policy.Version,
            assessments,
            decision?.Ranked[0].Candidate.Id,
            decision?.Explored ?? false,
            decision?.Reason ?? noDecisionReason)
        {
            Experiment = decision?.Experiment,
        });
    }

    private RoutingInfo EndSucceeded(
        RoutedRequest request,
        UsageDetails? usage,
        AdditionalPropertiesDictionary? reported,
        long outputCharacters,
        ChatFinishReason? finishReason,
        bool truncated,
        int updateCount,
        string? responseId,
        string? responseModel,
        IList<ChatMessage>? output)
    {
        IModelCandidate candidate = request.Current!;
        CostEstimate cost = CostCalculator.Compute(candidate, usage, reported, request.EstimatedInputTokens, outputCharacters);
        double? energy = candidate.Energy?.WattHoursFor(cost.InputTokens, cost.OutputTokens);
        Settle(request, cost.Usd);

        _recorder.RecordOutcome(new OutcomeRecord(
            request.DecisionId,
            _timeProvider.GetUtcNow(),
            candidate.Id,
            Succeeded: true,
            finishReason?.Value,
            truncated,
            updateCount,
            cost.InputTokens,
            cost.OutputTokens,
            cost.Usd,
            cost.IsEstimated,
            energy,
            Stopwatch.GetElapsedTime(request.StartTimestamp),
            ErrorKind: null,
            ErrorMessage: null));

        Learn(new AttemptObservation(
            request.DecisionId,
            candidate.Id,
            request.Features,
            Succeeded: true,
            Error: null,
            request.LastAttemptDuration,
            TimeToFirstToken: null,
            usage,
            cost.Usd,
            cost.IsEstimated)
        {
            EstimatedInputTokens = request.EstimatedInputTokens,
        });

        _ledger.Add(
            request.DecisionId,
            responseId,
            candidate.Id,
            request.Features,
            cost.Usd,
            request.LastAttemptDuration);

        _telemetry.Succeeded(
            request.Telemetry,
            candidate,
            request.LastAttemptDuration,
            request.AttemptCount,
            usage,
            cost.Usd,
            cost.IsEstimated,
            energy,
            responseModel,
            responseId,
            finishReason,
            output);
        Log.RequestSucceeded(_logger, request.DecisionId, candidate.Id, request.AttemptCount, cost.Usd);

        return new RoutingInfo(
            request.DecisionId,
            candidate.Id,
            _policy.Name,
            request.Decision.Explored,
            request.AttemptCount,
            cost.Usd,
            cost.IsEstimated,
            energy);
    }

    private void EndFailed(RoutedRequest request, Exception error, int updateCount, UsageDetails? usage, long outputCharacters)
    {
        IModelCandidate? candidate = updateCount > 0 ? request.Current : null;
        CostEstimate cost = candidate is null
            ? default
            : CostCalculator.Compute(candidate, usage, null, request.EstimatedInputTokens, outputCharacters);
        Exception reported = error is RoutingFailedException { InnerException: { } inner } ? inner : error;
        Settle(request, cost.Usd);
        _recorder.RecordOutcome(new OutcomeRecord(
            request.DecisionId,
            _timeProvider.GetUtcNow(),
            candidate?.Id,
            Succeeded: false,
            FinishReason: null,
            Truncated: updateCount > 0,
            updateCount,
            cost.InputTokens,
            cost.OutputTokens,
            cost.Usd,
            cost.IsEstimated,
            candidate?.Energy?.WattHoursFor(cost.InputTokens, cost.OutputTokens),
            Stopwatch.GetElapsedTime(request.StartTimestamp),
            error.GetType().Name,
            reported.Message));

        string outcome = error is OperationCanceledException ? "cancelled" : "failed";
        _telemetry.Failed(request.Telemetry, request.Current?.Id, request.AttemptCount, error, outcome);
        if (outcome == "failed")
        {
            Log.RequestFailed(_logger, request.DecisionId, outcome, error.GetType().Name, request.AttemptCount);
        }
    }

    private void EndAbandoned(RoutedRequest request, UsageDetails? usage, long outputCharacters, int updateCount)
    {
        IModelCandidate? candidate = request.Current;
        CostEstimate cost = candidate is null
            ? default
            : CostCalculator.Compute(candidate, usage, null, request.EstimatedInputTokens, outputCharacters);
        Settle(request, cost.Usd);
        _recorder.RecordOutcome(new OutcomeRecord(
            request.DecisionId,
            _timeProvider.GetUtcNow(),
            candidate?.Id,
            Succeeded: false,
            FinishReason: null,
            Truncated: true,
            updateCount,
            cost.InputTokens,
            cost.OutputTokens,
            cost.Usd,
            cost.IsEstimated,
            candidate?.Energy?.WattHoursFor(cost.InputTokens, cost.OutputTokens),
            Stopwatch.GetElapsedTime(request.StartTimestamp),
            ErrorKind: "Abandoned",
            ErrorMessage: "The caller stopped reading the stream before it ended."));
        _telemetry.Failed(request.Telemetry, candidate?.Id, request.AttemptCount, error: null, "abandoned");
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using MetaModel.Candidates;
using MetaModel.Routing;
using Microsoft.Extensions.AI;
using Attr = MetaModel.Telemetry.MetaModelTelemetry.Attributes;

namespace MetaModel.Telemetry;

/// <summary>Traces and metrics of one metamodel: the hooks <see cref="MetaModelChatClient"/> calls.</summary>
/// <remarks>
/// Every hook first checks whether anyone listens (an activity listener on <see cref="MetaModelTelemetry.SourceName"/>
/// or an enabled instrument) and returns at once when not, so unobserved routing pays a few branches. Spans are
/// parented explicitly: the request span under the caller's current activity, each attempt span under the request
/// span, and an attempt span is the current activity while its candidate is called, so the candidate's own spans
/// (HTTP, provider SDK) nest under it. Thread-safe.
/// </remarks>
internal sealed class RoutingTelemetry
{
    private const string Chat = "chat";

    private static readonly string? s_version = typeof(RoutingTelemetry).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    private static readonly ActivitySource s_source = new(MetaModelTelemetry.SourceName, s_version);
    private static readonly Meter s_meter = new(MetaModelTelemetry.MeterName, s_version);

    /// <summary>Gets the library's meter, shared by every metamodel.</summary>
    internal static Meter Meter => s_meter;

    // Bucket boundaries recommended by the GenAI semantic conventions for durations (s) and token counts.
    private static readonly double[] s_durationBuckets =
        [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly long[] s_tokenBuckets =
        [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
    private static readonly double[] s_overheadBuckets =
        [1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2];

    private static readonly Histogram<double> s_duration = s_meter.CreateHistogram(
        MetaModelTelemetry.Metrics.OperationDuration,
        "s",
        "Duration of each call to a candidate model.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_durationBuckets });

    private static readonly Histogram<double> s_timeToFirstChunk = s_meter.CreateHistogram(
        MetaModelTelemetry.Metrics.TimeToFirstChunk,
        "s",
        "Time from calling a candidate to its first streamed update.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_durationBuckets });

    private static readonly Histogram<long> s_tokens = s_meter.CreateHistogram(
        MetaModelTelemetry.Metrics.TokenUsage,
        "{token}",
        "Tokens the answering candidate reported, by token type.",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = s_tokenBuckets });

    private static readonly Histogram<double> s_overhead = s_meter.CreateHistogram(
        MetaModelTelemetry.Metrics.RoutingOverhead,
        "s",
        "Time MetaModel spends deciding (context, eligibility, features, policy) before the first attempt.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_overheadBuckets });

    private static readonly Counter<long> s_decisions = s_meter.CreateCounter<long>(
        MetaModelTelemetry.Metrics.Decisions, "{decision}", "Routing decisions, by policy and chosen candidate.");

    private static readonly Counter<long> s_requests = s_meter.CreateCounter<long>(
        MetaModelTelemetry.Metrics.Requests, "{request}", "Routed requests, by outcome and answering candidate.");

    private static readonly Counter<long> s_fallbacks = s_meter.CreateCounter<long>(
        MetaModelTelemetry.Metrics.Fallbacks, "{fallback}",
        "Fallbacks to the next candidate, by failed candidate and error type.");

    private static readonly Counter<double> s_cost = s_meter.CreateCounter<double>(
        MetaModelTelemetry.Metrics.Cost, "{USD}", "Spend in US dollars, by answering candidate.");

    private static readonly Counter<double> s_energy = s_meter.CreateCounter<double>(
        MetaModelTelemetry.Metrics.Energy, "W.h", "Estimated energy in watt-hours, by answering candidate.");

    private static readonly object s_true = true;
    private static readonly object s_false = false;
    private static readonly object[] s_smallNumbers = [.. Enumerable.Range(0, 16).Select(i => (object)i)];
    private static readonly string[] s_stop = ["stop"];
    private static readonly string[] s_length = ["length"];

    private readonly string _routerName;
    private readonly string _spanName;
    private readonly bool _sensitive;
    private readonly Dictionary<IModelCandidate, CandidateInfo> _candidates;

    public RoutingTelemetry(string routerName, IReadOnlyList<IModelCandidate> candidates, bool sensitive)
    {
        _routerName = routerName;
        _spanName = Chat + " " + routerName;
        _sensitive = sensitive;
        _candidates = new Dictionary<IModelCandidate, CandidateInfo>(ReferenceEqualityComparer.Instance);
        foreach (IModelCandidate candidate in candidates)
        {
            _candidates[candidate] = CandidateInfo.Of(candidate);
        }
    }

    /// <summary>Starts the request span under the caller's current activity.</summary>
    public Activity? StartRequest(string? requestedModel, bool streaming)
    {
        if (!s_source.HasListeners())
        {
            return null;
        }

        Activity? activity = s_source.StartActivity(_spanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.AddTag(Attr.OperationName, Chat)
                .AddTag(Attr.ProviderName, "metamodel")
                .AddTag(Attr.RequestModel, requestedModel ?? _routerName)
                .AddTag(Attr.RouterName, _routerName);
            if (streaming)
            {
                activity.AddTag(Attr.Streaming, s_true);
            }
        }

        return activity;
    }

    /// <summary>Records a request refused because no candidate is eligible or available, and ends its span.</summary>
    public void Rejected(Activity? activity, string decisionId, string policyName, int excluded, Exception refusal)
    {
        string errorType = refusal.GetType().FullName!;
        if (s_decisions.Enabled)
        {
            s_decisions.Add(
                1,
                new TagList
                {
                    { Attr.RouterName, _routerName },
                    { Attr.PolicyName, policyName },
                    { Attr.CandidateId, "none" },
                });
        }

        if (s_requests.Enabled)
        {
            s_requests.Add(1, new TagList
            {
                { Attr.RouterName, _routerName },
                { Attr.Outcome, "rejected" },
                { Attr.ErrorType, errorType },
            });
        }

        if (activity is not null)
        {
            activity.AddTag(Attr.DecisionId, decisionId)
                .AddTag(Attr.PolicyName, policyName)
                .AddTag(Attr.ExcludedCount, Boxed(excluded))
                .AddTag(Attr.ErrorType, errorType)
                .SetStatus(ActivityStatusCode.Error, "no candidate can serve the request now");
            activity.Stop();
        }
    }

    /// <summary>
    /// Records a request that failed before a candidate was chosen (its entries, the featurizer or the policy threw,
    /// or it was cancelled), and ends its span.
    /// </summary>
    public void NotRouted(Activity? activity, string decisionId, string policyName, Exception error)
    {
        string errorType = error.GetType().FullName!;
        if (s_requests.Enabled)
        {
            s_requests.Add(1, new TagList
            {
                { Attr.RouterName, _routerName },
                { Attr.CandidateId, "none" },
                { Attr.Outcome, error is OperationCanceledException ? "cancelled" : "failed" },
                { Attr.ErrorType, errorType },
            });
        }

        if (activity is not null && !activity.IsStopped)
        {
            activity.AddTag(Attr.DecisionId, decisionId)
                .AddTag(Attr.PolicyName, policyName)
                .AddTag(Attr.ErrorType, errorType)
                .SetStatus(ActivityStatusCode.Error, error.Message);
            activity.Stop();
        }
    }

    /// <summary>
    /// Records a decision; returns the request's telemetry state, or <see langword="null"/> when nobody listens.
    /// </summary>
    public RequestTelemetry? Decided(
        Activity? activity,
        RoutingRequest request,
        string? userKey,
        IRoutingPolicy policy,
        RoutingDecision decision,
        int excluded,
        long startTimestamp)
    {
        string chosen = decision.Ranked[0].Candidate.Id;
        if (s_overhead.Enabled)
        {
            s_overhead.Record(
                Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds,
                new TagList { { Attr.RouterName, _routerName }, { Attr.PolicyName, policy.Name } });
        }

        if (s_decisions.Enabled)
        {
            var tags = new TagList
            {
                { Attr.RouterName, _routerName },
                { Attr.PolicyName, policy.Name },
                { Attr.CandidateId, chosen },
                { Attr.Explored, decision.Explored },
            };
            if (decision.Experiment is { } assignment)
            {
                tags.Add(Attr.ExperimentId, assignment.ExperimentId);
                tags.Add(Attr.ExperimentArm, assignment.Arm);
            }

            s_decisions.Add(1, tags);
        }

        if (activity is { IsAllDataRequested: true })
        {
            // Ids and scores as two parallel arrays: no number formatting on the request path.
            var ranked = new string[decision.Ranked.Count];
            var scores = new double[ranked.Length];
            for (int i = 0; i < ranked.Length; i++)
            {
                ranked[i] = decision.Ranked[i].Candidate.Id;
                scores[i] = decision.Ranked[i].Score;
            }

            activity.AddTag(Attr.DecisionId, request.DecisionId)
                .AddTag(Attr.PolicyName, policy.Name)
                .AddTag(Attr.ChosenCandidate, chosen)
                .AddTag(Attr.Ranked, ranked)
                .AddTag(Attr.Scores, scores)
                .AddTag(Attr.Explored, decision.Explored ? s_true : s_false);
            if (excluded > 0)
            {
                activity.AddTag(Attr.ExcludedCount, Boxed(excluded));
            }

            if (request.TenantId is { } tenant)
            {
                activity.AddTag(Attr.TenantId, tenant);
            }
            if (decision.Experiment is { } assignment)
            {
                activity.AddTag(Attr.ExperimentId, assignment.ExperimentId).AddTag(Attr.ExperimentArm, assignment.Arm);
            }

            if (_sensitive)
            {
                activity.AddTag(Attr.UserKey, userKey)
                    .AddTag(Attr.InputMessages, TelemetryContent.Messages(request.Messages));
            }
        }

        return activity is null && !AnyMetricEnabled() ? null : new RequestTelemetry(activity, _sensitive);
    }

    /// <summary>Starts an attempt's span under the request span and makes it current while the candidate runs.</summary>
    public void AttemptStarting(RequestTelemetry? telemetry, IModelCandidate candidate, int attemptNumber)
    {
        if (telemetry?.Activity is not { } parent)
        {
            return;
        }

        CandidateInfo info = _candidates[candidate];
        Activity? attempt = s_source.StartActivity(info.SpanName, ActivityKind.Client, parent.Context);
        if (attempt is { IsAllDataRequested: true })
        {
            attempt.AddTag(Attr.OperationName, Chat)
                .AddTag(Attr.ProviderName, info.Provider)
                .AddTag(Attr.RequestModel, info.RequestModel)
                .AddTag(Attr.CandidateId, candidate.Id)
                .AddTag(Attr.AttemptNumber, Boxed(attemptNumber));
            if (info.Host is not null)
            {
                attempt.AddTag(Attr.ServerAddress, info.Host).AddTag(Attr.ServerPort, info.BoxedPort);
            }
        }

        telemetry.Attempt = attempt;
    }

    /// <summary>
    /// Makes the attempt's span the current activity for the rest of the calling (async) method, so the candidate's
    /// own spans nest under it; the change ends with that method.
    /// </summary>
    public static void EnterAttempt(IEnumerable<ChatMessage> messages)
    {
        if (messages is RoutedRequest { Telemetry.Attempt: { } attempt })
        {
            Activity.Current = attempt;
        }
    }

    /// <summary>Records an attempt that ended; a failed one ends its span, a completed one waits for the outcome.</summary>
    public void AttemptEnded(
        RequestTelemetry? telemetry,
        IModelCandidate candidate,
        TimeSpan duration,
        TimeSpan? timeToFirstUpdate,
        Exception? error,
        bool completed,
        bool willFallBack)
    {
        if (telemetry is null)
        {
            return;
        }

        telemetry.TimeToFirstChunk = timeToFirstUpdate;
        if (completed)
        {
            return;
        }

        CandidateInfo info = _candidates[candidate];
        string errorType = error?.GetType().FullName ?? "abandoned";
        if (s_duration.Enabled)
        {
            TagList tags = info.Tags();
            tags.Add(Attr.ErrorType, errorType);
            s_duration.Record(duration.TotalSeconds, tags);
        }

        RecordFirstChunk(info, timeToFirstUpdate, responseModel: null);
        if (willFallBack)
        {
            telemetry.FallbackReason = errorType;
            if (s_fallbacks.Enabled)
            {
                s_fallbacks.Add(
                    1,
                    new TagList
                    {
                        { Attr.RouterName, _routerName },
                        { Attr.CandidateId, candidate.Id },
                        { Attr.ErrorType, errorType },
                    });
            }
        }

        if (telemetry.Attempt is { } attempt)
        {
            attempt.AddTag(Attr.ErrorType, errorType).AddTag(Attr.WillFallBack, willFallBack ? s_true : s_false);
            attempt.SetStatus(ActivityStatusCode.Error, error?.Message);
            attempt.Stop();
            telemetry.Attempt = null;
        }
    }

    /// <summary>Keeps a streamed update's text for the output-messages attribute, when content may be recorded.</summary>
    public static void StreamedUpdate(RequestTelemetry? telemetry, ChatResponseUpdate update)
    {
        if (telemetry is { Sensitive: true, Activity: not null })
        {
            (telemetry.StreamedText ??= new()).Append(update.Text);
        }
    }

    /// <summary>Records a request that delivered an answer and ends its spans.</summary>
    public void Succeeded(
        RequestTelemetry? telemetry,
        IModelCandidate candidate,
        TimeSpan attemptDuration,
        int attemptCount,
        UsageDetails? usage,
        decimal costUsd,
        bool costIsEstimated,
        double? energyWattHours,
        string? responseModel,
        string? responseId,
        ChatFinishReason? finishReason,
        IList<ChatMessage>? output)
    {
        if (telemetry is null)
        {
            return;
        }

        CandidateInfo info = _candidates[candidate];
        responseModel ??= info.RequestModel;
        if (s_duration.Enabled)
        {
            TagList tags = info.Tags();
            tags.Add(Attr.ResponseModel, responseModel);
            s_duration.Record(attemptDuration.TotalSeconds, tags);
        }

        RecordFirstChunk(info, telemetry.TimeToFirstChunk, responseModel);
        if (s_tokens.Enabled && usage is not null)
        {
            RecordTokens(info, responseModel, usage.InputTokenCount, "input");
            RecordTokens(info, responseModel, usage.OutputTokenCount, "output");
        }

        var byCandidate = new TagList { { Attr.RouterName, _routerName }, { Attr.CandidateId, candidate.Id } };
        if (s_cost.Enabled)
        {
            s_cost.Add((double)costUsd, byCandidate);
        }

        if (s_energy.Enabled && energyWattHours is { } energy)
        {
            s_energy.Add(energy, byCandidate);
        }

        if (s_requests.Enabled)
        {
            TagList tags = byCandidate;
            tags.Add(Attr.Outcome, "succeeded");
            s_requests.Add(1, tags);
        }

        string? reason = finishReason?.Value;
        if (telemetry.Attempt is { } attempt)
        {
            attempt.AddTag(Attr.ResponseModel, responseModel);
            SetTokens(attempt, usage);
            attempt.Stop();
        }

        if (telemetry.Activity is { } activity)
        {
            activity.AddTag(Attr.ResponseModel, responseModel)
                .AddTag(Attr.CandidateId, candidate.Id)
                .AddTag(Attr.AttemptCount, Boxed(attemptCount))
                .AddTag(Attr.CostUsd, (double)costUsd)
                .AddTag(Attr.CostEstimated, costIsEstimated ? s_true : s_false);
            if (energyWattHours is { } wattHours)
            {
                activity.AddTag(Attr.EnergyWattHours, wattHours);
            }

            if (telemetry.FallbackReason is { } fallback)
            {
                activity.AddTag(Attr.FallbackReason, fallback);
            }

            SetTokens(activity, usage);
            if (reason is not null)
            {
                activity.AddTag(Attr.FinishReasons, FinishReasons(reason));
            }

            if (responseId is not null)
            {
                activity.AddTag(Attr.ResponseId, responseId);
            }
            if (telemetry.Sensitive)
            {
                activity.AddTag(Attr.OutputMessages, output is not null
                    ? TelemetryContent.Messages(output)
                    : TelemetryContent.Answer(telemetry.StreamedText?.ToString() ?? string.Empty));
            }

            activity.Stop();
        }
    }

    /// <summary>Records a request that ended without a whole answer and ends its spans.</summary>
    public void Failed(RequestTelemetry? telemetry, string? candidateId, int attemptCount, Exception? error, string outcome)
    {
        if (telemetry is null)
        {
            return;
        }

        string errorType = error?.GetType().FullName ?? outcome;
        if (s_requests.Enabled)
        {
            s_requests.Add(1, new TagList
            {
                { Attr.RouterName, _routerName },
                { Attr.CandidateId, candidateId ?? "none" },
                { Attr.Outcome, outcome },
                { Attr.ErrorType, errorType },
            });
        }

        if (telemetry.Attempt is { } attempt)
        {
            attempt.AddTag(Attr.ErrorType, errorType).SetStatus(ActivityStatusCode.Error, error?.Message ?? outcome);
            attempt.Stop();
        }

        if (telemetry.Activity is { } activity)
        {
            activity.AddTag(Attr.CandidateId, candidateId)
                .AddTag(Attr.AttemptCount, attemptCount)
                .AddTag(Attr.FallbackReason, telemetry.FallbackReason)
                .AddTag(Attr.ErrorType, errorType)
                .SetStatus(ActivityStatusCode.Error, error?.Message ?? outcome);
            activity.Stop();
        }
    }

    private static bool AnyMetricEnabled() =>
        s_duration.Enabled || s_tokens.Enabled || s_requests.Enabled || s_cost.Enabled || s_energy.Enabled ||
        s_fallbacks.Enabled || s_timeToFirstChunk.Enabled;

    private static void SetTokens(Activity activity, UsageDetails? usage)
    {
        if (usage?.InputTokenCount is { } input)
        {
            activity.AddTag(Attr.InputTokens, input);
        }

        if (usage?.OutputTokenCount is { } output)
        {
            activity.AddTag(Attr.OutputTokens, output);
        }
    }

    // The common finish reasons are shared arrays, so a request allocates none; exporters only read attributes.
    private static string[] FinishReasons(string reason) => reason switch
    {
        "stop" => s_stop,
        "length" => s_length,
        _ => [reason],
    };

    private static object Boxed(int value) => (uint)value < (uint)s_smallNumbers.Length ? s_smallNumbers[value] : value;

    private static void RecordFirstChunk(CandidateInfo info, TimeSpan? timeToFirstChunk, string? responseModel)
    {
        if (timeToFirstChunk is { } first && s_timeToFirstChunk.Enabled)
        {
            TagList tags = info.Tags();
            if (responseModel is not null)
            {
                tags.Add(Attr.ResponseModel, responseModel);
            }

            s_timeToFirstChunk.Record(first.TotalSeconds, tags);
        }
    }

    private static void RecordTokens(CandidateInfo info, string responseModel, long? count, string type)
    {
        if (count is { } value)
        {
            TagList tags = info.Tags();
            tags.Add(Attr.ResponseModel, responseModel);
            tags.Add(Attr.TokenType, type);
            s_tokens.Record(value, tags);
        }
    }

    /// <summary>What the conventions call a candidate: its provider, model and address, read once.</summary>
    private sealed record CandidateInfo(string Id, string Provider, string RequestModel, string? Host, int Port)
    {
        public string SpanName { get; } = Chat + " " + RequestModel;

        public object BoxedPort { get; } = Port;

        public static CandidateInfo Of(IModelCandidate candidate)
        {
            ChatClientMetadata? metadata = null;
            try
            {
                metadata = candidate.Client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
            }
            catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException)
            {
                // A client that cannot describe itself is named by its candidate's tags and id.
            }

            string provider = metadata?.ProviderName ??
                (candidate.Tags.TryGetValue("provider", out string? tagged) ? tagged : "unknown");
            Uri? uri = metadata?.ProviderUri;
            return new CandidateInfo(candidate.Id, provider, metadata?.DefaultModelId ?? candidate.Id, uri?.Host, uri?.Port ?? 0);
        }

        // The conventions' own attributes only: every tag is hashed on each record, and the metamodel.* metrics
        // already break cost, requests and fallbacks down by router and candidate.
        public TagList Tags() => new()
        {
            { Attr.OperationName, Chat },
            { Attr.ProviderName, Provider },
            { Attr.RequestModel, RequestModel },
        };
    }
}

using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Passport;
using MetaModel.Compliance.Privacy;

namespace MetaModel.Compliance.Recording;

/// <summary>
/// Turns records into canonical payloads: tenants and users become pseudonyms, error messages and captured text are
/// redacted, and each outcome gets its emissions. Runs on the writer, off the request path.
/// </summary>
/// <remarks>Not thread-safe: one instance per writer. Every payload has <c>v</c> = 1, its payload version.</remarks>
internal sealed class LogEntryEncoder
{
    private readonly Pseudonymizer _pseudonymizer;
    private readonly ContentRedactor _redactor;
    private readonly double _gridIntensity;
    private readonly CanonicalJsonWriter _writer = new(1024);

    public LogEntryEncoder(Pseudonymizer pseudonymizer, ContentRedactor redactor, double gridIntensity)
    {
        _pseudonymizer = pseudonymizer;
        _redactor = redactor;
        _gridIntensity = gridIntensity;
    }

    public PendingEntry Encode(object record) => record switch
    {
        DecisionRecord decision => Decision(decision),
        AttemptRecord attempt => Attempt(attempt),
        OutcomeRecord outcome => Outcome(outcome),
        FeedbackRecord feedback => Feedback(feedback),
        ContentRecord content => Content(content),
        SystemPassport passport => new PendingEntry(passport.GeneratedAt, LogEntryKind.Passport, passport.ToCanonicalJson()),
        _ => throw new ArgumentException($"A {record.GetType().Name} cannot be recorded.", nameof(record)),
    };

    public PendingEntry Loss(long count, DateTimeOffset now)
    {
        CanonicalJsonWriter w = Start();
        w.Property("count", count);
        w.Property("reason", "The recorder's queue was full; these records were dropped or refused and are not in the log.");
        return End(now, LogEntryKind.Loss);
    }

    public PendingEntry Unencodable(string recordKind, string errorKind, string? message, DateTimeOffset now)
    {
        CanonicalJsonWriter w = Start();
        w.Property("count", 1L);
        w.Property("errorKind", errorKind);
        w.Property("errorMessage", message);
        w.Property("reason", $"A {recordKind} could not be encoded; it is not in the log.");
        return End(now, LogEntryKind.Loss);
    }

    private PendingEntry Decision(DecisionRecord r)
    {
        CanonicalJsonWriter w = Start();
        w.Name("candidates");
        w.StartArray();
        foreach (CandidateAssessment a in r.Candidates)
        {
            w.StartObject();
            w.Property("candidateId", a.CandidateId);
            w.Property("eligible", a.Eligible);
            w.Property("exclusion", a.Exclusion?.ToString());
            w.Property("rank", (long?)a.Rank);
            w.Property("reason", a.Reason);
            w.Property("score", a.Score);
            w.EndObject();
        }

        w.EndArray();
        w.Property("chosenCandidateId", r.ChosenCandidateId);
        w.Property("decisionId", r.DecisionId);
        w.Property("estimatedInputTokens", r.EstimatedInputTokens);
        w.Property("explored", r.Explored);
        w.Property("policyName", r.PolicyName);
        w.Property("policyVersion", r.PolicyVersion);
        w.Property("pseudonymKeyId", r.TenantId is null && r.UserKey is null ? null : _pseudonymizer.KeyId);
        w.Property("reason", r.Reason);
        w.Property("requestedModel", r.RequestedModel);
        w.Property("routerName", r.RouterName);
        w.Property("streaming", r.Streaming);
        w.Property("tenantHash", _pseudonymizer.Tenant(r.TenantId));
        w.Property("timestamp", r.Timestamp);
        w.Property("userHash", _pseudonymizer.User(r.UserKey));
        return End(r.Timestamp, LogEntryKind.Decision);
    }

    private PendingEntry Attempt(AttemptRecord r)
    {
        // Why an attempt failed and what the router did about it (fault, action, status, delay, probe) are written
        // only when known, so an attempt that succeeded reads as before.
        CanonicalJsonWriter w = Start();
        w.Property("action", r.Action?.ToString());
        w.Property("attemptNumber", r.AttemptNumber);
        w.Property("candidateId", r.CandidateId);
        w.Property("completed", r.Completed);
        w.Property("decisionId", r.DecisionId);
        w.Property("durationTicks", r.Duration);
        w.Property("errorKind", r.ErrorKind);
        w.Property("errorMessage", _redactor.Redact(r.ErrorMessage));
        w.Property("fault", r.Fault?.ToString());
        w.Property("outputExposed", r.OutputExposed);
        w.Property("retryAfterTicks", r.RetryAfter);
        w.Property("statusCode", r.StatusCode);
        w.Property("timeToFirstTokenTicks", r.TimeToFirstToken);
        w.Property("timestamp", r.Timestamp);

        // The payload version sorts before "wasProbe" and "willFailOver", so it is written here rather than by End.
        w.Property("v", 1L);
        if (r.WasProbe)
        {
            w.Property("wasProbe", true);
        }

        w.Property("willFailOver", r.WillFailOver);
        return Finish(r.Timestamp, LogEntryKind.Attempt);
    }

    private PendingEntry Outcome(OutcomeRecord r)
    {
        CanonicalJsonWriter w = Start();
        w.Property("answeredBy", r.AnsweredBy);
        w.Property("costIsEstimated", r.CostIsEstimated);
        w.Property("costUsd", r.CostUsd);
        w.Property("decisionId", r.DecisionId);
        w.Property("durationTicks", r.Duration);
        w.Property("emissionsGrams", r.EnergyWattHours is { } wh ? wh * _gridIntensity / 1000d : null);
        w.Property("energyWh", r.EnergyWattHours);
        w.Property("errorKind", r.ErrorKind);
        w.Property("errorMessage", _redactor.Redact(r.ErrorMessage));
        w.Property("finishReason", r.FinishReason);
        w.Property("gridIntensity", r.EnergyWattHours is null ? null : _gridIntensity);
        w.Property("inputTokens", r.InputTokens);
        w.Property("outputTokens", r.OutputTokens);
        w.Property("succeeded", r.Succeeded);
        w.Property("timestamp", r.Timestamp);
        w.Property("truncated", r.Truncated);
        w.Property("updateCount", r.UpdateCount);
        return End(r.Timestamp, LogEntryKind.Outcome);
    }

    private PendingEntry Feedback(FeedbackRecord r)
    {
        CanonicalJsonWriter w = Start();
        w.Property("appliedToPolicy", r.AppliedToPolicy);
        w.Property("candidateId", r.CandidateId);
        w.Property("decisionId", r.DecisionId);
        w.Property("quality", r.Quality);
        w.Property("timestamp", r.Timestamp);
        return End(r.Timestamp, LogEntryKind.Feedback);
    }

    private PendingEntry Content(ContentRecord r)
    {
        CanonicalJsonWriter w = Start();
        w.Property("answer", _redactor.Redact(r.Answer));
        w.Property("candidateId", r.CandidateId);
        w.Property("decisionId", r.DecisionId);
        w.Property("prompt", _redactor.Redact(r.Prompt));
        w.Property("timestamp", r.Timestamp);
        return End(r.Timestamp, LogEntryKind.Content);
    }

    private CanonicalJsonWriter Start()
    {
        _writer.Reset();
        _writer.StartObject();
        return _writer;
    }

    private PendingEntry End(DateTimeOffset timestamp, LogEntryKind kind)
    {
        _writer.Property("v", 1L);
        return Finish(timestamp, kind);
    }

    private PendingEntry Finish(DateTimeOffset timestamp, LogEntryKind kind)
    {
        _writer.EndObject();
        return new PendingEntry(timestamp, kind, _writer.ToArray());
    }
}

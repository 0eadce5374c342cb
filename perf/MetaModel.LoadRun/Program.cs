using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using MetaModel;
using MetaModel.Candidates;
using MetaModel.Compliance;
using MetaModel.Costs;
using MetaModel.LoadRun;
using MetaModel.Policies;
using MetaModel.Resilience;
using MetaModel.Routing;
using MetaModel.ScriptedServer;
using Microsoft.Extensions.AI;
using OpenAI;

// The failover load run: every request through the router to a scripted OpenAI-compatible server on 127.0.0.1,
// with injected faults. Prints a markdown report; the exit code is non-zero when an invariant is broken.
int requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
int concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
const int Tenants = 4;
const decimal TenantBudgetUsd = 0.25m;
const int MaxOutputTokens = 32;

await using ScriptedOpenAIServer server = await ScriptedOpenAIServer.StartAsync();
server.KeepRequests = false;

// Warm up the client, the server and the router's code paths without faults, on a separate router.
server.Script = _ =>
    new ScriptedReply { Text = FaultScript.Answer, PromptTokens = 20, CompletionTokens = FaultScript.CompletionTokens };
using (MetaModelChatClient warm = CreateRouter(server, new InMemoryComplianceRecorder(), [], new WaitLog()))
{
    await Parallel.ForAsync(0, 500, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        await CallAsync(warm, i, "warm", ct));
}

// The baseline: the same requests straight to the official client, without the router, without faults.
IChatClient direct = OpenAIClientFor(server, "a");
var baseline = new double[2_000];
await Parallel.ForAsync(0, baseline.Length, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
{
    long start = Stopwatch.GetTimestamp();
    await CallAsync(direct, i, null, ct);
    baseline[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
});

var script = new FaultScript(seed: 20_260_301);
server.Script = script.Next;
long serverBefore = server.RequestCount;
var recorder = new InMemoryComplianceRecorder();
var waitLog = new WaitLog();
var budgets =
    Enumerable.Range(0, Tenants).Select(t => new BudgetLimit($"tenant-{t}", BudgetPeriod.Day, TenantBudgetUsd)).ToArray();
using MetaModelChatClient router = CreateRouter(server, recorder, budgets, waitLog);
var results = new Result?[requests];
var wall = Stopwatch.StartNew();
await Parallel.ForAsync(0, requests, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
{
    StrongBox<long> inside = TimingChatClient.Begin();
    long start = Stopwatch.GetTimestamp();
    string outcome;
    string? decisionId;
    bool whole = true;
    try
    {
        (string text, decisionId) = await CallRouterAsync(router, i, $"tenant-{i % Tenants}", ct);
        outcome = "succeeded";
        whole = text == FaultScript.Answer;
    }
    catch (Exception ex) when (ex is RoutingFailedException or NoEligibleCandidateException or ResponseIncompleteException)
    {
        decisionId = ex switch
        {
            RoutingFailedException r => r.DecisionId,
            NoEligibleCandidateException n => n.DecisionId,
            _ => ((ResponseIncompleteException)ex).DecisionId,
        };
        outcome = ex is CandidatesUnavailableException u
            ? (u.Message.Contains("budget", StringComparison.Ordinal)
                ? "CandidatesUnavailable (budget)"
                : "CandidatesUnavailable (cooling down)")
            : ex.GetType().Name;
    }
    catch (Exception ex)
    {
        decisionId = null;
        outcome = "UNTYPED " + ex.GetType().Name;
    }

    long elapsed = Stopwatch.GetTimestamp() - start;
    double overhead = TimeSpan.FromTicks(
        (long)((elapsed - inside.Value) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)).TotalMicroseconds;
    results[i] = new Result(
        i % 2 == 0,
        outcome,
        whole,
        decisionId,
        Stopwatch.GetElapsedTime(start, start + elapsed).TotalMicroseconds,
        overhead);
});
wall.Stop();

// Invariants.
var problems = new List<string>();
int missing = results.Count(r => r is null);
Result[] done = results.Where(r => r is not null).Select(r => r!).ToArray();
int untyped = done.Count(r => r.Outcome.StartsWith("UNTYPED", StringComparison.Ordinal));
int truncatedSuccesses = done.Count(r => r.Outcome == "succeeded" && !r.Whole);
IReadOnlyList<DecisionRecord> decisions = recorder.Decisions;
IReadOnlyList<OutcomeRecord> outcomes = recorder.Outcomes;
IReadOnlyList<AttemptRecord> attempts = recorder.Attempts;
long serverRequests = server.RequestCount - serverBefore;
Check(missing == 0, $"{missing} requests got no result");
Check(untyped == 0, $"{untyped} requests failed with an untyped error");
Check(truncatedSuccesses == 0, $"{truncatedSuccesses} successes were silently truncated");
Check(decisions.Count == requests, $"{decisions.Count} decision records for {requests} requests");
Check(decisions.Select(d => d.DecisionId).Distinct().Count() == requests, "decision ids are not unique");
int admitted = decisions.Count(d => d.ChosenCandidateId is not null);
Check(
    outcomes.Count == admitted && outcomes.Select(o => o.DecisionId).Distinct().Count() == admitted,
    "not exactly one outcome per admitted request");
Check(done.Select(r => r.DecisionId).Distinct().Count() == requests, "a result without its own decision");
Check(attempts.Count == serverRequests, $"{attempts.Count} attempt records for {serverRequests} requests the server received");
Check(done.Count(r => r.Outcome == "succeeded") == outcomes.Count(o => o.Succeeded), "successes seen and recorded differ");

var tenantOf = decisions.ToDictionary(d => d.DecisionId, d => d.TenantId);
var budgetRows = new List<string>();
foreach (BudgetLimit limit in budgets)
{
    BudgetStatus status = router.Budgets.GetStatus(limit.TenantId).Single();
    decimal recorded = outcomes.Where(o => tenantOf[o.DecisionId] == limit.TenantId).Sum(o => o.CostUsd);
    Check(status.SpentUsd <= limit.LimitUsd, $"{limit.TenantId} spent {status.SpentUsd} over {limit.LimitUsd}");
    Check(status.ReservedUsd == 0, $"{limit.TenantId} still holds {status.ReservedUsd} reserved");
    Check(status.SpentUsd == recorded, $"{limit.TenantId}: ledger {status.SpentUsd} but outcome records {recorded}");
    budgetRows.Add(
        $"| {limit.TenantId} | {limit.LimitUsd:0.00} | {status.SpentUsd:0.000000} | {recorded:0.000000} | " +
        $"{status.ReservedUsd} |");
}

// Report.
var report = new StringBuilder();
report.AppendLine(
    CultureInfo.InvariantCulture,
    $"Requests: {requests:N0} at {concurrency} concurrent, half streamed; 3 candidates on one scripted server; wall time " +
    $"{wall.Elapsed.TotalSeconds:0.0} s ({requests / wall.Elapsed.TotalSeconds:0} requests/s).");
report.AppendLine();
report.AppendLine(
    "Injected (per server request): " +
    string.Join(", ", script.Counts.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value:N0}")) +
    $"; {serverRequests:N0} server requests in all.");
report.AppendLine();
report.AppendLine("| outcome | streamed | not streamed | all |");
report.AppendLine("| --- | ---: | ---: | ---: |");
foreach (IGrouping<string, Result> group in done.GroupBy(r => r.Outcome).OrderByDescending(g => g.Count()))
{
    report.AppendLine(
        CultureInfo.InvariantCulture,
        $"| {group.Key} | {group.Count(r => r.Streamed):N0} | {group.Count(r => !r.Streamed):N0} | {group.Count():N0} |");
}

report.AppendLine(
    CultureInfo.InvariantCulture,
    $"| **total** | {done.Count(r => r.Streamed):N0} | {done.Count(r => !r.Streamed):N0} | {done.Length:N0} |");
report.AppendLine();
report.AppendLine("| invariant | value |");
report.AppendLine("| --- | ---: |");
report.AppendLine(CultureInfo.InvariantCulture, $"| requests without a result (lost) | {missing} |");
report.AppendLine(CultureInfo.InvariantCulture, $"| untyped errors | {untyped} |");
report.AppendLine(CultureInfo.InvariantCulture, $"| successes whose text was not whole | {truncatedSuccesses} |");
report.AppendLine(
    CultureInfo.InvariantCulture,
    $"| decision records / unique ids | {decisions.Count:N0} / {decisions.Select(d => d.DecisionId).Distinct().Count():N0} |");
report.AppendLine(
    CultureInfo.InvariantCulture,
    $"| outcome records / requests admitted (a candidate chosen) | {outcomes.Count:N0} / {admitted:N0} |");
report.AppendLine(
    CultureInfo.InvariantCulture,
    $"| requests that waited for a candidate to recover (opt-in, at most 250 ms) | {waitLog.Waits.Count:N0} |");
report.AppendLine(
    CultureInfo.InvariantCulture,
    $"| attempt records / server requests | {attempts.Count:N0} / {serverRequests:N0} |");
report.AppendLine(
    CultureInfo.InvariantCulture,
    $"| attempts per request (mean, max) | {attempts.Count / (double)requests:0.00}, " +
    $"{attempts.GroupBy(a => a.DecisionId).Max(g => g.Count())} |");
report.AppendLine();
report.AppendLine("| tenant | budget USD/day | ledger spent | outcome records sum | still reserved |");
report.AppendLine("| --- | ---: | ---: | ---: | ---: |");
budgetRows.ForEach(row => report.AppendLine(row));
report.AppendLine();
report.AppendLine(
    "Router overhead = a request's wall time less the time spent inside the official OpenAI client (HTTP and parsing), in " +
    "microseconds; requests that waited for a candidate to recover are left out, since the wait is the policy, not overhead:");
report.AppendLine();
report.AppendLine("| requests | n | overhead p50 | overhead p90 | overhead p99 | total p50 | total p99 |");
report.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
bool Waited(Result r) => r.DecisionId is not null && waitLog.Waits.ContainsKey(r.DecisionId);
Row("succeeded, streamed", done.Where(r => r.Outcome == "succeeded" && r.Streamed && !Waited(r)));
Row("succeeded, not streamed", done.Where(r => r.Outcome == "succeeded" && !r.Streamed && !Waited(r)));
Row("every request that did not wait", done.Where(r => !Waited(r)));
report.AppendLine(
    CultureInfo.InvariantCulture,
    $"| baseline: official client alone, no faults | {baseline.Length:N0} | | | | {Percentile(baseline, 0.5):N0} | " +
    $"{Percentile(baseline, 0.99):N0} |");
report.AppendLine();
report.AppendLine(problems.Count == 0 ? "Every invariant held." : "BROKEN: " + string.Join("; ", problems));
Console.WriteLine(report.ToString());
return problems.Count == 0 ? 0 : 1;

void Row(string name, IEnumerable<Result> rows)
{
    Result[] list = rows.ToArray();
    double[] overhead = list.Select(r => r.OverheadMicroseconds).ToArray();
    double[] total = list.Select(r => r.TotalMicroseconds).ToArray();
    report.AppendLine(
        CultureInfo.InvariantCulture,
        $"| {name} | {list.Length:N0} | {Percentile(overhead, 0.5):N0} | {Percentile(overhead, 0.9):N0} | " +
        $"{Percentile(overhead, 0.99):N0} | {Percentile(total, 0.5):N0} | {Percentile(total, 0.99):N0} |");
}

void Check(bool condition, string problem)
{
    if (!condition)
    {
        problems.Add(problem);
    }
}

static double Percentile(double[] values, double p)
{
    if (values.Length == 0)
    {
        return double.NaN;
    }

    double[] sorted = values.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

static async Task<string> CallAsync(IChatClient client, int i, string? tenant, CancellationToken cancellationToken)
{
    var options = new ChatOptions { MaxOutputTokens = MaxOutputTokens };
    if (tenant is not null && client is MetaModelChatClient)
    {
        options.WithTenant(tenant);
    }

    List<ChatMessage> prompt = [new(ChatRole.User, $"Request {i}: what is 2 + 2?")];
    if (i % 2 == 1)
    {
        return (await client.GetResponseAsync(prompt, options, cancellationToken)).Text;
    }

    var text = new StringBuilder();
    await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(prompt, options, cancellationToken))
    {
        text.Append(update.Text);
    }

    return text.ToString();
}

static async Task<(string Text, string? DecisionId)> CallRouterAsync(
    MetaModelChatClient router,
    int i,
    string tenant,
    CancellationToken cancellationToken)
{
    var options = new ChatOptions { MaxOutputTokens = MaxOutputTokens }.WithTenant(tenant);
    List<ChatMessage> prompt = [new(ChatRole.User, $"Request {i}: what is 2 + 2?")];
    if (i % 2 == 1)
    {
        ChatResponse response = await router.GetResponseAsync(prompt, options, cancellationToken);
        return (response.Text, response.GetRoutingInfo()?.DecisionId);
    }

    var text = new StringBuilder();
    string? decisionId = null;
    await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync(prompt, options, cancellationToken))
    {
        text.Append(update.Text);
        decisionId ??= update.GetDecisionId();
    }

    return (text.ToString(), decisionId);
}

static IChatClient OpenAIClientFor(ScriptedOpenAIServer server, string model) =>
    new OpenAIClient(
            new ApiKeyCredential("load-run"),
            new OpenAIClientOptions { Endpoint = server.Endpoint, RetryPolicy = new ClientRetryPolicy(0) })
        .GetChatClient(model)
        .AsIChatClient();

static MetaModelChatClient CreateRouter(
    ScriptedOpenAIServer server,
    IComplianceRecorder recorder,
    BudgetLimit[] budgets,
    WaitLog log)
{
    var options = new MetaModelOptions { MaxAttemptsPerRequest = 3 };
    options.Failover.FailureThreshold = 5;
    options.Failover.BreakDuration = TimeSpan.FromSeconds(1);
    options.Failover.AttemptTimeout = TimeSpan.FromSeconds(10);
    options.Failover.FirstUpdateTimeout = TimeSpan.FromSeconds(5);
    options.Failover.MaxWaitForAvailability = TimeSpan.FromMilliseconds(250);
    foreach (BudgetLimit budget in budgets)
    {
        options.Budgets.Add(budget);
    }

    string[] models = ["a", "b", "c"];
    ModelCandidate[] candidates = models
        .Select(m => new ModelCandidate(
            m.ToUpperInvariant(),
            new TimingChatClient(OpenAIClientFor(server, m)),
            new ModelPricing(1m, 4m)))
        .ToArray();
    return new MetaModelChatClient(
        candidates,
        new WeightedRoutingPolicy(new Dictionary<string, double> { ["A"] = 1, ["B"] = 1, ["C"] = 1 }, new Random(1)),
        options,
        recorder,
        logger: log);
}

/// <summary>One request's result.</summary>
internal sealed record Result(
    bool Streamed,
    string Outcome,
    bool Whole,
    string? DecisionId,
    double TotalMicroseconds,
    double OverheadMicroseconds);

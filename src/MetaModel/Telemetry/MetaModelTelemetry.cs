namespace MetaModel.Telemetry;

/// <summary>
/// The names of MetaModel's traces and metrics: the <see cref="System.Diagnostics.ActivitySource"/> and
/// <see cref="System.Diagnostics.Metrics.Meter"/> to listen to, and every span attribute and metric it emits.
/// </summary>
/// <remarks>
/// <para>
/// Names under <c>gen_ai.*</c>, <c>error.type</c> and <c>server.*</c> follow the OpenTelemetry semantic conventions
/// for generative AI clients (still in development upstream); names under <c>metamodel.*</c> are MetaModel's own,
/// for what the conventions do not cover. With OpenTelemetry:
/// <c>tracing.AddSource(MetaModelTelemetry.SourceName)</c> and <c>metrics.AddMeter(MetaModelTelemetry.MeterName)</c>.
/// </para>
/// <para>
/// Prompts, answers and user keys are never emitted unless <see cref="MetaModelOptions.EnableSensitiveTelemetryData"/>
/// is on. With no listener attached, the routing path only checks whether anyone listens.
/// </para>
/// </remarks>
public static class MetaModelTelemetry
{
    /// <summary>The name of the activity source: one span per routed request and one per attempt.</summary>
    public const string SourceName = "MetaModel";

    /// <summary>The name of the meter.</summary>
    public const string MeterName = "MetaModel";

    /// <summary>Span and metric attribute names.</summary>
    public static class Attributes
    {
        /// <summary>Semantic convention: the operation, always <c>chat</c>.</summary>
        public const string OperationName = "gen_ai.operation.name";

        /// <summary>
        /// Semantic convention: the provider: <c>metamodel</c> on the request span, the candidate's on attempts.
        /// </summary>
        public const string ProviderName = "gen_ai.provider.name";

        /// <summary>
        /// Semantic convention: the model asked for: the caller's on the request span, the candidate's on attempts.
        /// </summary>
        public const string RequestModel = "gen_ai.request.model";

        /// <summary>Semantic convention: the model that answered, as its provider named it.</summary>
        public const string ResponseModel = "gen_ai.response.model";

        /// <summary>Semantic convention: the id of the response.</summary>
        public const string ResponseId = "gen_ai.response.id";

        /// <summary>Semantic convention: why the answer ended, as a one-element array.</summary>
        public const string FinishReasons = "gen_ai.response.finish_reasons";

        /// <summary>Semantic convention: prompt tokens the provider reported.</summary>
        public const string InputTokens = "gen_ai.usage.input_tokens";

        /// <summary>Semantic convention: completion tokens the provider reported.</summary>
        public const string OutputTokens = "gen_ai.usage.output_tokens";

        /// <summary>Semantic convention: <c>input</c> or <c>output</c> on the token usage metric.</summary>
        public const string TokenType = "gen_ai.token.type";

        /// <summary>Semantic convention, sensitive, opt-in: the request's messages as JSON.</summary>
        public const string InputMessages = "gen_ai.input.messages";

        /// <summary>Semantic convention, sensitive, opt-in: the answer's messages as JSON.</summary>
        public const string OutputMessages = "gen_ai.output.messages";

        /// <summary>Semantic convention: the exception's full type name when an operation failed.</summary>
        public const string ErrorType = "error.type";

        /// <summary>Semantic convention: the provider's host, when the candidate's client reports its address.</summary>
        public const string ServerAddress = "server.address";

        /// <summary>Semantic convention: the provider's port, with <see cref="ServerAddress"/>.</summary>
        public const string ServerPort = "server.port";

        /// <summary>MetaModel: the metamodel's name.</summary>
        public const string RouterName = "metamodel.router.name";

        /// <summary>MetaModel: the decision id, the key of the decision log.</summary>
        public const string DecisionId = "metamodel.decision.id";

        /// <summary>MetaModel: the policy's name.</summary>
        public const string PolicyName = "metamodel.policy.name";

        /// <summary>MetaModel: the policy's version.</summary>
        public const string PolicyVersion = "metamodel.policy.version";

        /// <summary>MetaModel: the candidate of an attempt, or the one that answered on the request span and metrics.</summary>
        public const string CandidateId = "metamodel.candidate.id";

        /// <summary>MetaModel: the candidate the policy ranked first.</summary>
        public const string ChosenCandidate = "metamodel.candidate.chosen";

        /// <summary>MetaModel: the ranked candidate ids, in try order.</summary>
        public const string Ranked = "metamodel.candidate.ranked";

        /// <summary>MetaModel: the policy's scores of the ranked candidates, in the order of <see cref="Ranked"/>.</summary>
        public const string Scores = "metamodel.candidate.scores";

        /// <summary>MetaModel: how many candidates were excluded, when any were.</summary>
        public const string ExcludedCount = "metamodel.candidates.excluded";

        /// <summary>MetaModel: whether the policy's choice was exploration.</summary>
        public const string Explored = "metamodel.explored";

        /// <summary>MetaModel: the 1-based number of an attempt within its request.</summary>
        public const string AttemptNumber = "metamodel.attempt.number";

        /// <summary>MetaModel: how many attempts a request made.</summary>
        public const string AttemptCount = "metamodel.attempt.count";

        /// <summary>MetaModel: whether the next candidate is tried after this attempt.</summary>
        public const string WillFallBack = "metamodel.fallback";

        /// <summary>MetaModel: the error type that made the request fall back to another candidate (the last one).</summary>
        public const string FallbackReason = "metamodel.fallback.reason";

        /// <summary>MetaModel: the answer's cost in US dollars.</summary>
        public const string CostUsd = "metamodel.cost.usd";

        /// <summary>MetaModel: whether the cost was estimated rather than reported or computed from reported tokens.</summary>
        public const string CostEstimated = "metamodel.cost.estimated";

        /// <summary>MetaModel: the estimated energy of the answer in watt-hours.</summary>
        public const string EnergyWattHours = "metamodel.energy.wh";

        /// <summary>MetaModel: present and true when the request was streamed.</summary>
        public const string Streaming = "metamodel.streaming";

        /// <summary>MetaModel: the tenant the request was made for.</summary>
        public const string TenantId = "metamodel.tenant.id";

        /// <summary>MetaModel, sensitive, opt-in: the user or session key.</summary>
        public const string UserKey = "metamodel.user.key";

        /// <summary>MetaModel: the experiment the request was assigned in.</summary>
        public const string ExperimentId = "metamodel.experiment.id";

        /// <summary>MetaModel: the experiment arm the request was assigned to.</summary>
        public const string ExperimentArm = "metamodel.experiment.arm";

        /// <summary>MetaModel: a candidate's circuit state by name, on the circuit-state gauge.</summary>
        public const string CircuitState = "metamodel.circuit.state";

        /// <summary>MetaModel: a budget limit's period, on the budget gauge.</summary>
        public const string BudgetPeriod = "metamodel.budget.period";

        /// <summary>
        /// MetaModel: how a request ended: <c>succeeded</c>, <c>failed</c>, <c>rejected</c> or <c>abandoned</c>.
        /// </summary>
        public const string Outcome = "metamodel.outcome";
    }

    /// <summary>Metric names.</summary>
    public static class Metrics
    {
        /// <summary>Semantic convention: histogram of attempt durations, in seconds.</summary>
        public const string OperationDuration = "gen_ai.client.operation.duration";

        /// <summary>Semantic convention: histogram of reported tokens per answer, by <c>gen_ai.token.type</c>.</summary>
        public const string TokenUsage = "gen_ai.client.token.usage";

        /// <summary>Semantic convention: histogram of the time to a stream's first update, in seconds.</summary>
        public const string TimeToFirstChunk = "gen_ai.client.operation.time_to_first_chunk";

        /// <summary>MetaModel: counter of decisions, by policy and chosen candidate.</summary>
        public const string Decisions = "metamodel.decisions";

        /// <summary>MetaModel: counter of requests, by outcome and answering candidate.</summary>
        public const string Requests = "metamodel.requests";

        /// <summary>MetaModel: histogram of routing overhead (context, eligibility, features, policy), in seconds.</summary>
        public const string RoutingOverhead = "metamodel.routing.overhead";

        /// <summary>MetaModel: counter of fallbacks to the next candidate, by failed candidate and error type.</summary>
        public const string Fallbacks = "metamodel.fallbacks";

        /// <summary>MetaModel: counter of spend in US dollars, by answering candidate.</summary>
        public const string Cost = "metamodel.cost";

        /// <summary>MetaModel: counter of estimated energy in watt-hours, by answering candidate.</summary>
        public const string Energy = "metamodel.energy";

        /// <summary>
        /// MetaModel: gauge of each candidate's circuit state (0 healthy, 1 cooling down, 2 awaiting probe, 3 probing).
        /// </summary>
        public const string CircuitState = "metamodel.candidate.circuit_state";

        /// <summary>MetaModel: gauge of each budget limit's remaining spend in its current period, in US dollars.</summary>
        public const string BudgetRemaining = "metamodel.budget.remaining";
    }
}

using System.Buffers;
using System.Text.Json;
using MetaModel.Candidates;
using MetaModel.Compliance.Privacy;
using MetaModel.Gateway.Tenants;
using MetaModel.Gateway.Wire;
using MetaModel.Resilience;
using MetaModel.Routing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace MetaModel.Gateway;

/// <summary>Serves <c>POST /v1/chat/completions</c>: authenticates, checks limits and budget, and calls MetaModel.</summary>
/// <remarks>
/// Steps, in order: API key (401), body size (413), JSON (400), request shape and limits (400, 413), model name
/// (404), context windows (400), budget (429); then MetaModel routes the request, and its typed errors become 400
/// (no eligible candidate) or 502 (every candidate failed). A streamed answer starts only once the first update
/// arrived, so every error before it still gets its status code; an error after it ends the stream with an error
/// event.
/// </remarks>
internal sealed class ChatCompletionsEndpoint(
    TenantDirectory tenants,
    BudgetLedger budgets,
    GatewayMetrics metrics,
    IOptions<GatewayOptions> options,
    TimeProvider timeProvider,
    ILogger<ChatCompletionsEndpoint> logger)
{
    /// <summary>The request metadata key whose value becomes the request's task label.</summary>
    internal const string TaskMetadataKey = "task";

    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;

    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    private static ReadOnlySpan<byte> Done => "data: [DONE]\n\n"u8;

    private readonly GatewayOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context)
    {
        CancellationToken cancellationToken = context.RequestAborted;
        string? authorization = context.Request.Headers.Authorization;
        if (!tenants.TryAuthenticate(authorization, out Tenant? tenant))
        {
            Log.Unauthenticated(
                logger,
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                TenantDirectory.IsMissing(authorization));
            await WriteErrorAsync(
                context,
                GatewayError.InvalidApiKey(missing: TenantDirectory.IsMissing(authorization))).ConfigureAwait(false);
            return;
        }

        // Every answer to an authenticated tenant is counted, refusals included, once its status is final.
        context.Response.OnCompleted(
            static state =>
            {
                var (counter, tenantId, http) = ((GatewayMetrics, string, HttpContext))state;
                counter.Answered(tenantId, http.Response.StatusCode);
                return Task.CompletedTask;
            },
            (metrics, tenant!.Id, context));

        if (context.Request.ContentLength > _options.MaxRequestBodyBytes)
        {
            await WriteErrorAsync(context, TooLargeBody()).ConfigureAwait(false);
            return;
        }

        ChatCompletionRequest? request;
        try
        {
            request = await JsonSerializer
                .DeserializeAsync(context.Request.Body, GatewayJsonContext.Default.ChatCompletionRequest, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(context, RequestJsonError.From(ex)).ConfigureAwait(false);
            return;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The rest of the body is never read, so Kestrel closes the connection after the answer: the client is told.
            context.Response.Headers.Connection = "close";
            await WriteErrorAsync(context, TooLargeBody()).ConfigureAwait(false);
            return;
        }

        if (request is null)
        {
            await WriteErrorAsync(context, GatewayError.InvalidJson("the body is 'null'")).ConfigureAwait(false);
            return;
        }

        if (RequestMapper.TryMap(request, _options, out List<ChatMessage> messages, out ChatOptions chatOptions) is { } invalid)
        {
            await WriteErrorAsync(context, invalid).ConfigureAwait(false);
            return;
        }

        MetaModelChatClient metaModel = tenant!.MetaModel;
        if (!Models.Serves(metaModel, request.Model!))
        {
            await WriteErrorAsync(context, GatewayError.ModelNotFound(request.Model!)).ConfigureAwait(false);
            return;
        }

        // A request that no candidate's context window could ever hold is the caller's to fix, not a matter of budget:
        // MetaModel would exclude every candidate for it, so it is refused as MetaModel counts it, before the budget.
        // Counted once: the context-window check and the budget estimate use the same prompt size.
        int promptTokens = TokenEstimator.ForMessages(messages);
        if (ContextLengthCheck(metaModel, request.Model!, promptTokens, chatOptions) is { } tooLong)
        {
            await WriteErrorAsync(context, tooLong).ConfigureAwait(false);
            return;
        }

        // The request's estimated cost is reserved against the tenant's budget until it ends, so that requests
        // running at once cannot together overrun it.
        BudgetLedger.BudgetHold? hold = null;
        if (tenant.Budget is not null)
        {
            (decimal estimate, int inputTokens, int outputTokens) =
                EstimateCost(metaModel, request.Model!, promptTokens, chatOptions);
            if (!budgets.TryReserve(tenant, estimate, out hold, out decimal remaining))
            {
                Log.BudgetExhausted(logger, tenant.Id, remaining, estimate);
                GatewayError refusal = GatewayError.QuotaExceeded(tenant.Id, remaining, estimate, inputTokens, outputTokens);
                await WriteErrorAsync(context, refusal).ConfigureAwait(false);
                return;
            }

            context.Response.Headers["x-metamodel-budget-remaining-usd"] =
                remaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        try
        {
            await RouteAsync(context, tenant, metaModel, request, messages, chatOptions).ConfigureAwait(false);
        }
        finally
        {
            BudgetLedger.Release(hold);
        }
    }

    private async Task RouteAsync(
        HttpContext context,
        Tenant tenant,
        MetaModelChatClient metaModel,
        ChatCompletionRequest request,
        List<ChatMessage> messages,
        ChatOptions chatOptions)
    {
        chatOptions.WithTenant(tenant.Id);
        if (!string.IsNullOrWhiteSpace(request.User))
        {
            chatOptions.WithUser(request.User);
        }

        // OpenAI's "metadata" pairs are the caller's own; "task" is the label a learning policy routes by.
        if (request.Metadata?.GetValueOrDefault(TaskMetadataKey) is { } task && !string.IsNullOrWhiteSpace(task))
        {
            chatOptions.WithTask(task);
        }

        try
        {
            if (request.Stream)
            {
                await StreamAsync(context, tenant, metaModel, messages, chatOptions, request.StreamOptions?.IncludeUsage == true)
                    .ConfigureAwait(false);
            }
            else
            {
                await CompleteAsync(context, tenant, metaModel, messages, chatOptions).ConfigureAwait(false);
            }
        }
        catch (NoEligibleCandidateException ex) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, GatewayError.NoEligibleCandidate(ex, timeProvider.GetUtcNow())).ConfigureAwait(false);
        }
        catch (RoutingFailedException ex) when (!context.Response.HasStarted)
        {
            // Only the server's log has the causes' messages, which may name internal hosts; the caller gets their kinds.
            Log.AllCandidatesFailed(logger, tenant.Id, ex.DecisionId, ContentRedactor.Default.Redact(ex.Message));
            await WriteErrorAsync(context, GatewayError.AllCandidatesFailed(ex)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !context.Response.HasStarted)
        {
            // A fault of the gateway or of MetaModel's configuration, such as a policy ranking a foreign candidate.
            Log.RequestFaulted(logger, tenant.Id, ex);
            await WriteErrorAsync(context, GatewayError.Internal()).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && context.Response.HasStarted)
        {
            // The status line is gone: the stream ends with an error event that OpenAI clients raise.
            // Only the server's log has the cause's message; the caller's event has its kind.
            Log.StreamBroken(logger, tenant.Id, ex.GetType().Name, ContentRedactor.Default.Redact(ex.Message));
            GatewayError error = ex switch
            {
                RoutingFailedException failed => GatewayError.AllCandidatesFailed(failed),
                ResponseIncompleteException incomplete => GatewayError.ResponseIncomplete(incomplete),
                _ => GatewayError.Internal(),
            };
            await WriteEventAsync(context, error.Body, GatewayJsonContext.Default.ErrorBody).ConfigureAwait(false);
        }
    }

    internal static async Task WriteErrorAsync(HttpContext context, GatewayError error)
    {
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json";
        if (error.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter =
                Math.Ceiling(wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await JsonSerializer
            .SerializeAsync(context.Response.Body, error.Body, GatewayJsonContext.Default.ErrorBody, context.RequestAborted)
            .ConfigureAwait(false);
    }

    private static string FinishReason(ChatFinishReason? reason) =>
        reason == ChatFinishReason.Length ? "length"
        : reason == ChatFinishReason.ContentFilter ? "content_filter"
        : reason == ChatFinishReason.ToolCalls ? "tool_calls"
        : "stop";

    private static WireUsage? ToWire(UsageDetails? usage) => usage is null
        ? null
        : new WireUsage
        {
            PromptTokens = usage.InputTokenCount ?? 0,
            CompletionTokens = usage.OutputTokenCount ?? 0,
            TotalTokens = usage.TotalTokenCount ?? ((usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0)),
        };

    private static RoutingSummary? ToWire(RoutingInfo? info) => info is null
        ? null
        : new RoutingSummary
        {
            DecisionId = info.DecisionId,
            Candidate = info.CandidateId,
            Policy = info.PolicyName,
            Attempts = info.AttemptCount,
            CostUsd = info.CostUsd,
            CostEstimated = info.CostIsEstimated,
        };

    private static async Task WriteEventAsync<T>(
        HttpContext context,
        T value,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        var writer = context.Response.BodyWriter;
        writer.Write(DataPrefix);
        using (var json = new Utf8JsonWriter(writer))
        {
            JsonSerializer.Serialize(json, value, typeInfo);
        }

        writer.Write(EventEnd);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Estimates the most a request can cost: its estimated prompt tokens and its <c>max_tokens</c> (or the
    /// metamodel's <see cref="MetaModelOptions.ReservedOutputTokens"/>) at the prices of the dearest candidate that may
    /// answer it (see <see cref="AnsweringCandidates"/>).
    /// </summary>
    internal static (decimal Usd, int InputTokens, int OutputTokens) EstimateCost(
        MetaModelChatClient metaModel,
        string model,
        int promptTokens,
        ChatOptions chatOptions)
    {
        int output = chatOptions.MaxOutputTokens ?? metaModel.Options.ReservedOutputTokens;
        decimal most = 0;
        foreach (IModelCandidate candidate in AnsweringCandidates(metaModel, model))
        {
            most = Math.Max(most, candidate.Pricing.CostOf(promptTokens, output));
        }

        return (most, promptTokens, output);
    }

    /// <summary>
    /// Refuses a request whose estimated prompt plus <c>max_tokens</c> exceeds the context window of every candidate that
    /// may answer it, as MetaModel's eligibility counts it.
    /// </summary>
    internal static GatewayError? ContextLengthCheck(
        MetaModelChatClient metaModel,
        string model,
        int promptTokens,
        ChatOptions chatOptions)
    {
        int output = chatOptions.MaxOutputTokens ?? 0;
        int? largest = null;
        foreach (IModelCandidate candidate in AnsweringCandidates(metaModel, model))
        {
            if ((long)promptTokens + output <= candidate.ContextWindow)
            {
                return null;
            }

            largest = Math.Max(largest ?? 0, candidate.ContextWindow);
        }

        return largest is { } window ? GatewayError.ContextLengthExceeded(window, promptTokens, output) : null;
    }

    /// <summary>The candidates that may answer a request for <paramref name="model"/>: the one it names, or any when
    /// it names the metamodel.</summary>
    private static IEnumerable<IModelCandidate> AnsweringCandidates(MetaModelChatClient metaModel, string model)
    {
        bool any = string.Equals(model, metaModel.Options.Name, StringComparison.Ordinal);
        return metaModel.Candidates.Where(c => any || string.Equals(c.Id, model, StringComparison.Ordinal));
    }

    private GatewayError TooLargeBody() =>
        GatewayError.TooLarge($"The request body is larger than {_options.MaxRequestBodyBytes} bytes.");

    private async Task CompleteAsync(
        HttpContext context,
        Tenant tenant,
        MetaModelChatClient metaModel,
        List<ChatMessage> messages,
        ChatOptions chatOptions)
    {
        ChatResponse response = await metaModel
            .GetResponseAsync(messages, chatOptions, context.RequestAborted)
            .ConfigureAwait(false);
        RoutingInfo? info = response.GetRoutingInfo();
        budgets.Charge(tenant, info?.CostUsd ?? 0);

        var completion = new ChatCompletion
        {
            Id = "chatcmpl-" + (info?.DecisionId ?? response.ResponseId),
            Created = timeProvider.GetUtcNow().ToUnixTimeSeconds(),
            Model = response.ModelId ?? metaModel.Options.Name,
            Choices =
            [
                new CompletionChoice
                {
                    Message = new AssistantMessage { Content = response.Text },
                    FinishReason = FinishReason(response.FinishReason),
                },
            ],
            Usage = ToWire(response.Usage),
            Metamodel = ToWire(info),
        };

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await JsonSerializer
            .SerializeAsync(context.Response.Body, completion, GatewayJsonContext.Default.ChatCompletion, context.RequestAborted)
            .ConfigureAwait(false);
    }

    private async Task StreamAsync(
        HttpContext context,
        Tenant tenant,
        MetaModelChatClient metaModel,
        List<ChatMessage> messages,
        ChatOptions chatOptions,
        bool includeUsage)
    {
        CancellationToken cancellationToken = context.RequestAborted;
        string id = string.Empty;
        string model = metaModel.Options.Name;
        long created = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        ChatFinishReason? finishReason = null;
        UsageDetails? usage = null;
        RoutingInfo? info = null;
        bool started = false;
        IModelCandidate? answering = null;
        long characters = 0;
        bool charged = false;
        try
        {
            await foreach (ChatResponseUpdate update in metaModel
                .GetStreamingResponseAsync(messages, chatOptions, cancellationToken)
                .ConfigureAwait(false))
            {
                if (update.GetCandidateId() is { } candidateId && answering?.Id != candidateId)
                {
                    answering = metaModel.Candidates.FirstOrDefault(c => c.Id == candidateId);
                }

                if (!started)
                {
                    // Headers go out with the first update, so errors before it keep their status codes.
                    started = true;
                    id = "chatcmpl-" + update.GetDecisionId();
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = "text/event-stream";
                    context.Response.Headers.CacheControl = "no-cache";
                    context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                    var role = new ChunkDelta { Role = "assistant", Content = string.Empty };
                    await WriteEventAsync(
                        context,
                        Chunk(id, created, update.ModelId ?? model, role),
                        GatewayJsonContext.Default.ChatCompletionChunk)
                        .ConfigureAwait(false);
                }

                if (update.FinishReason == MetaModelFinishReasons.Incomplete)
                {
                    // MetaModel ended an answer that broke off (FinishAsIncomplete): OpenAI has no such finish reason,
                    // and "stop" would pass the part for a whole answer, so the stream ends with an error event.
                    // Its error content's message quotes the cause, which may name internal hosts: only the server's
                    // log has it, and the caller's event has the kind of fault (the content's error code).
                    ErrorContent? cause = update.Contents.OfType<ErrorContent>().FirstOrDefault();
                    Log.StreamBroken(
                        logger,
                        tenant.Id,
                        nameof(MetaModelFinishReasons.Incomplete),
                        ContentRedactor.Default.Redact(cause?.Message));
                    string fault = Enum.TryParse(cause?.ErrorCode, out FaultKind kind)
                        ? GatewayError.Describe(kind)
                        : GatewayError.Describe(FaultKind.Unknown);
                    GatewayError incomplete = GatewayError.ResponseIncomplete(
                        update.GetCandidateId() ?? answering?.Id ?? string.Empty,
                        fault,
                        update.GetDecisionId() ?? string.Empty);
                    await WriteEventAsync(context, incomplete.Body, GatewayJsonContext.Default.ErrorBody)
                        .ConfigureAwait(false);
                    return;
                }

                model = update.ModelId ?? model;
                finishReason = update.FinishReason ?? finishReason;
                foreach (AIContent content in update.Contents)
                {
                    if (content is UsageContent reported)
                    {
                        (usage ??= new UsageDetails()).Add(reported.Details);
                    }
                }

                if (update.AdditionalProperties?.TryGetValue(MetaModelPropertyNames.RoutingInfo, out object? routing) == true)
                {
                    info = routing as RoutingInfo;
                }

                string text = update.Text;
                characters += text.Length;
                if (text.Length > 0)
                {
                    await WriteEventAsync(
                        context,
                        Chunk(id, created, model, new ChunkDelta { Content = text }),
                        GatewayJsonContext.Default.ChatCompletionChunk)
                        .ConfigureAwait(false);
                }
            }

            charged = true;
            budgets.Charge(tenant, info?.CostUsd ?? 0);
        }
        finally
        {
            // An answer that broke off, or that the client left, was produced all the same and is paid for: charged
            // like MetaModel counts it, from the usage seen or else the prompt and the text streamed.
            if (!charged && answering is not null)
            {
                budgets.Charge(
                    tenant,
                    Costs.CostCalculator.Compute(answering, usage, null, TokenEstimator.ForMessages(messages), characters).Usd);
            }
        }

        var finish = new ChatCompletionChunk
        {
            Id = id,
            Created = created,
            Model = model,
            Choices = [new ChunkChoice { Delta = new ChunkDelta(), FinishReason = FinishReason(finishReason) }],
            Metamodel = includeUsage ? null : ToWire(info),
        };
        await WriteEventAsync(context, finish, GatewayJsonContext.Default.ChatCompletionChunk).ConfigureAwait(false);
        if (includeUsage)
        {
            var usageChunk = new ChatCompletionChunk
            {
                Id = id,
                Created = created,
                Model = model,
                Choices = [],
                Usage = ToWire(usage) ?? new WireUsage(),
                Metamodel = ToWire(info),
            };
            await WriteEventAsync(context, usageChunk, GatewayJsonContext.Default.ChatCompletionChunk).ConfigureAwait(false);
        }

        context.Response.BodyWriter.Write(Done);
        await context.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ChatCompletionChunk Chunk(string id, long created, string model, ChunkDelta delta) => new()
    {
        Id = id,
        Created = created,
        Model = model,
        Choices = [new ChunkChoice { Delta = delta }],
    };
}

using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetaModel.ScriptedServer;

/// <summary>
/// An OpenAI-compatible chat-completions server on 127.0.0.1 and a free port, whose every answer is chosen by a
/// script: delays, error statuses with headers, streams cut or broken after some chunks, usage chunks.
/// </summary>
/// <remarks>
/// The server listens on the loopback address only. <see cref="Script"/> may be replaced at any time; it is called
/// once per request, on the request's thread, and must be thread-safe.
/// </remarks>
public sealed class ScriptedOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedRequest> _requests = new();
    private long _sequence;

    private ScriptedOpenAIServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Gets the base address, such as <c>http://127.0.0.1:41234/v1</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Gets or sets the script that chooses each reply.</summary>
    public Func<ScriptedRequest, ScriptedReply> Script { get; set; } = _ => new ScriptedReply();

    /// <summary>Gets or sets a value indicating whether requests are kept in <see cref="Requests"/>.</summary>
    public bool KeepRequests { get; set; } = true;

    /// <summary>Gets the requests received so far, in arrival order.</summary>
    public IReadOnlyList<ScriptedRequest> Requests => _requests.ToArray();

    /// <summary>Gets the number of requests received so far.</summary>
    public long RequestCount => Interlocked.Read(ref _sequence);

    /// <summary>Forgets the requests received so far.</summary>
    public void ClearRequests() => _requests.Clear();

    /// <summary>Starts a server on 127.0.0.1 and a free port.</summary>
    /// <returns>The running server.</returns>
    public static async Task<ScriptedOpenAIServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var server = new ScriptedOpenAIServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);

        string address = app.Services.GetRequiredService<IServer>().Features
            .Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) ||
            !context.Request.Path.Value!.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        string body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        ScriptedRequest request = Parse(body, Interlocked.Increment(ref _sequence));
        if (KeepRequests)
        {
            _requests.Enqueue(request);
        }

        ScriptedReply reply = Script(request);
        CancellationToken aborted = context.RequestAborted;
        try
        {
            if (reply.FirstDelay > TimeSpan.Zero)
            {
                await Task.Delay(reply.FirstDelay, aborted).ConfigureAwait(false);
            }

            foreach (KeyValuePair<string, string> header in reply.Headers)
            {
                context.Response.Headers[header.Key] = header.Value;
            }

            if (reply.Status != 200)
            {
                context.Response.StatusCode = reply.Status;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(
                    reply.ErrorBody ?? """{"error":{"message":"scripted error","type":"server_error","code":null}}""",
                    aborted).ConfigureAwait(false);
                return;
            }

            if (request.Streaming)
            {
                await StreamAsync(context, request, reply, aborted).ConfigureAwait(false);
            }
            else
            {
                context.Response.ContentType = "application/json";
                await context.Response.Body.WriteAsync(CompletionJson.Whole(request, reply), aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
    }

    private static async Task StreamAsync(
        HttpContext context,
        ScriptedRequest request,
        ScriptedReply reply,
        CancellationToken aborted)
    {
        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(aborted).ConfigureAwait(false);

        await WriteEventAsync(response, CompletionJson.RoleChunk(request), aborted).ConfigureAwait(false);
        int contentChunks = reply.ToolCalls.Count > 0 ? reply.ToolCalls.Count : reply.Text.Split(' ').Length;
        string[] words = reply.Text.Split(' ');
        for (int i = 0; i < contentChunks; i++)
        {
            if (reply.CutAfter == i)
            {
                await CutAsync(context, reply.CutMode).ConfigureAwait(false);
                return;
            }

            if (reply.ErrorAfter == i)
            {
                await WriteEventAsync(response, "{\"error\":" + reply.StreamError + "}", aborted).ConfigureAwait(false);
                return;
            }

            if (reply.MalformedAfter == i)
            {
                await WriteEventAsync(
                    response,
                    "{\"id\":\"chatcmpl-broken\",\"choices\":[{\"delta\":",
                    aborted).ConfigureAwait(false);
                await WriteEventAsync(response, "[DONE]", aborted).ConfigureAwait(false);
                return;
            }

            if (reply.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(reply.ChunkDelay, aborted).ConfigureAwait(false);
            }

            string chunk = reply.ToolCalls.Count > 0
                ? CompletionJson.ToolCallChunk(request, reply.ToolCalls[i], i)
                : CompletionJson.TextChunk(request, i == 0 ? words[i] : " " + words[i]);
            await WriteEventAsync(response, chunk, aborted).ConfigureAwait(false);
        }

        if (reply.CutAfter == contentChunks)
        {
            await CutAsync(context, reply.CutMode).ConfigureAwait(false);
            return;
        }

        if (reply.FinishReason is { } finish)
        {
            await WriteEventAsync(response, CompletionJson.FinishChunk(request, finish), aborted).ConfigureAwait(false);
        }

        if (request.IncludeUsage)
        {
            await WriteEventAsync(response, CompletionJson.UsageChunk(request, reply), aborted).ConfigureAwait(false);
        }

        await WriteEventAsync(response, "[DONE]", aborted).ConfigureAwait(false);
    }

    private static async Task CutAsync(HttpContext context, CutMode mode)
    {
        if (mode == CutMode.Abort)
        {
            await context.Response.Body.FlushAsync().ConfigureAwait(false);

            // A reset discards whatever the client has not read yet; a pause lets it read what was sent, as when a
            // proxy drops a connection in the middle of a stream. On a busy machine the client may still be behind,
            // so tests of a reset check what was received against what was recorded, not an exact count.
            await Task.Delay(250).ConfigureAwait(false);
            context.Abort();
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, string data, CancellationToken cancellationToken)
    {
        await response.WriteAsync("data: " + data + "\n\n", cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ScriptedRequest Parse(string body, long sequence)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement root = document.RootElement;
        string model = root.TryGetProperty("model", out JsonElement m) ? m.GetString() ?? "" : "";
        bool streaming = root.TryGetProperty("stream", out JsonElement s) && s.ValueKind == JsonValueKind.True;
        bool usage = root.TryGetProperty("stream_options", out JsonElement o) &&
            o.TryGetProperty("include_usage", out JsonElement u) && u.ValueKind == JsonValueKind.True;
        return new ScriptedRequest(sequence, model, streaming, usage, body);
    }
}

using System.Globalization;
using System.Net.Http.Headers;
using MetaModel.Candidates;
using MetaModel.DependencyInjection;
using MetaModel.Routing;
using MetaModel.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetaModel.Gateway.Tests.Infrastructure;

/// <summary>
/// A gateway listening on a free loopback port in front of fake candidates configured in code: the metamodel
/// "metamodel" (candidates "small", tried first, and "large") and "failing" (its one candidate throws), with
/// tenants "acme" (room in its budget), "broke" (no budget at all), "tight" (room for two answers of the small
/// candidate), "mars" (a constraint no candidate meets) and
/// "failing"; "cutting" and "cutting-soft" (tenants "cut" and "cutsoft") have one candidate whose stream breaks off
/// after two words, the first ending such a stream with an error, the second with an incomplete finish; "stalling"
/// (tenant "stall") has one whose stream waits after two words until it is cancelled. Tenants "cut" and "stall" have
/// budgets of 1,000,000 USD a month, and their candidates cost one USD per token. "held" (tenant "shared", 1 USD
/// a month) has one candidate at 0.001 USD per token whose answers wait for <see cref="Held"/>'s hold.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string Pepper = "test-pepper-0123456789abcdef";
    public const string AcmeKey = "sk-acme-test-key";
    public const string BrokeKey = "sk-broke-test-key";
    public const string MarsKey = "sk-mars-test-key";
    public const string FailingKey = "sk-failing-test-key";
    public const string TightKey = "sk-tight-test-key";
    public const string CutKey = "sk-cut-test-key";
    public const string CutSoftKey = "sk-cutsoft-test-key";
    public const string StallKey = "sk-stall-test-key";
    public const string SharedKey = "sk-shared-test-key";

    private WebApplication? _app;

    /// <summary>Gets the cheap candidate: 10 prompt and 5 completion tokens at 1,000 and 2,000 USD per million.</summary>
    public ScriptedChatClient Small { get; } = new("small-model-v1", "Hello from the small model", Usage());

    /// <summary>Gets the featurizer of the "metamodel" metamodel, which records the task label of each request.</summary>
    public TaskRecordingFeaturizer Featurizer { get; } = new();

    public ScriptedChatClient Large { get; } = new("large-model-v1", "Hello from the large model", Usage());

    public ScriptedChatClient Broken { get; } = new("broken-model", "never")
    {
        // A message like the transport's, naming an internal address that must never reach the caller.
        Failure = () => new HttpRequestException(
            "Connection refused (127.0.0.1:8000)",
            new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)),
    };

    /// <summary>Gets the gateway's log: every message of Information and above, formatted.</summary>
    public ListLoggerProvider Log { get; } = new(LogLevel.Information);

    /// <summary>Gets a candidate whose streamed answer breaks off after two words.</summary>
    public ScriptedChatClient Cutting { get; } = new("cutting-model", "one two three four", Usage()) { BreakAfterWords = 2 };

    /// <summary>Gets a candidate whose streamed answer stops after two words and waits until it is cancelled.</summary>
    public ScriptedChatClient Stalling { get; } = new("stalling-model", "one two three four", Usage()) { StallAfterWords = 2 };

    /// <summary>Gets a candidate whose answers can be held back (<see cref="ScriptedChatClient.Hold"/>).</summary>
    public ScriptedChatClient Held { get; } = new("held-model", "Held answer", Usage());

    /// <summary>Gets the root address, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Gets the OpenAI-style base address, ending in <c>/v1</c>.</summary>
    public Uri ApiUrl => new(BaseUrl, "v1");

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Gets the application's services.</summary>
    public IServiceProvider Services => _app!.Services;

    public static async Task<GatewayHost> StartAsync(
        long maxBodyBytes = 64 * 1024,
        int maxMessages = 16,
        int maxCharacters = 20_000)
    {
        var host = new GatewayHost();
        await host.StartCoreAsync(maxBodyBytes, maxMessages, maxCharacters);
        return host;
    }

    public HttpRequestMessage Post(string json, string? key = AcmeKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>A streaming candidate at one USD per token, in and out.</summary>
    private static void Dear(CandidateSettings candidate)
    {
        candidate.Capabilities = ModelCapabilities.Streaming;
        candidate.InputPricePerMillion = 1_000_000;
        candidate.OutputPricePerMillion = 1_000_000;
    }

    private static UsageDetails Usage() => new() { InputTokenCount = 10, OutputTokenCount = 5, TotalTokenCount = 15 };

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task StartCoreAsync(long maxBodyBytes, int maxMessages, int maxCharacters)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:ApiKeyPepper"] = Pepper,
            ["Gateway:MaxRequestBodyBytes"] = Text(maxBodyBytes),
            ["Gateway:MaxMessages"] = Text(maxMessages),
            ["Gateway:MaxCharacters"] = Text(maxCharacters),
            ["Gateway:Tenants:acme:ApiKeyHashes:0"] = ApiKeyHasher.Hash(Pepper, AcmeKey),
            ["Gateway:Tenants:acme:Budget:LimitUsd"] = "100",
            ["Gateway:Tenants:acme:Budget:Period"] = "Day",
            ["Gateway:Tenants:broke:ApiKeyHashes:0"] = ApiKeyHasher.Hash(Pepper, BrokeKey),
            ["Gateway:Tenants:broke:Budget:LimitUsd"] = "0",
            ["Gateway:Tenants:mars:ApiKeyHashes:0"] = ApiKeyHasher.Hash(Pepper, MarsKey),
            ["Gateway:Tenants:failing:ApiKeyHashes:0"] = ApiKeyHasher.Hash(Pepper, FailingKey),
            ["Gateway:Tenants:failing:MetaModel"] = "failing",
            ["Gateway:Tenants:tight:ApiKeyHashes:0"] = ApiKeyHasher.Hash(Pepper, TightKey),
            ["Gateway:Tenants:tight:Budget:LimitUsd"] = "0.03",
            ["Gateway:Tenants:tight:Budget:Period"] = "Month",
            ["Gateway:Tenants:cut:ApiKeyHashes:0"] = ApiKeyHasher.Hash(Pepper, CutKey),
            ["Gateway:Tenants:cut:MetaModel"] = "cutting",
            ["Gateway:Tenants:cut:Budget:LimitUsd"] = "1000000",
            ["Gateway:Tenants:cut:Budget:Period"] = "Month",
            ["Gateway:Tenants:stall:ApiKeyHashes:0"] = ApiKeyHasher.Hash(Pepper, StallKey),
            ["Gateway:Tenants:stall:MetaModel"] = "stalling",
            ["Gateway:Tenants:stall:Budget:LimitUsd"] = "1000000",
            ["Gateway:Tenants:stall:Budget:Period"] = "Month",
            ["Gateway:Tenants:cutsoft:ApiKeyHashes:0"] = ApiKeyHasher.Hash(Pepper, CutSoftKey),
            ["Gateway:Tenants:cutsoft:MetaModel"] = "cutting-soft",
            ["Gateway:Tenants:shared:ApiKeyHashes:0"] = ApiKeyHasher.Hash(Pepper, SharedKey),
            ["Gateway:Tenants:shared:MetaModel"] = "held",
            ["Gateway:Tenants:shared:Budget:LimitUsd"] = "1",
            ["Gateway:Tenants:shared:Budget:Period"] = "Month",
        };

        _app = GatewayApplication.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(Log);
            builder.Services.AddMetaModel("metamodel")
                .AddCandidate("small", Small, c =>
                {
                    c.InputPricePerMillion = 1_000;
                    c.OutputPricePerMillion = 2_000;
                    c.Capabilities = ModelCapabilities.Streaming | ModelCapabilities.JsonOutput;
                    c.Tags["provider"] = "small-provider";
                    c.Tags["region"] = "eu";
                })
                .AddCandidate("large", Large, c =>
                {
                    c.Capabilities = ModelCapabilities.Streaming;
                    c.Tags["provider"] = "large-provider";
                    c.Tags["region"] = "us";
                })
                .UseFeaturizer(Featurizer)
                .UsePolicy(new FeatureReadingOrderedPolicy())
                .Configure(o => o.TenantConstraints["mars"] = [TagConstraint.Require("region", "mars")]);
            builder.Services.AddMetaModel("failing")
                .AddCandidate("broken", Broken, c => c.Capabilities = ModelCapabilities.Streaming)
                .Configure(o => o.MaxAttemptsPerRequest = 1);
            builder.Services.AddMetaModel("cutting")
                .AddCandidate("cut", Cutting, c => Dear(c));
            builder.Services.AddMetaModel("stalling")
                .AddCandidate("stall", Stalling, c => Dear(c));
            builder.Services.AddMetaModel("cutting-soft")
                .AddCandidate("cut-soft", Cutting, c => c.Capabilities = ModelCapabilities.Streaming)
                .Configure(o => o.Failover.IncompleteStreams = Resilience.IncompleteStreamHandling.FinishAsIncomplete);
            builder.Services.AddMetaModel("held")
                .AddCandidate("held-one", Held, c =>
                {
                    c.InputPricePerMillion = 1_000;
                    c.OutputPricePerMillion = 1_000;
                });
        });

        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
        Http = new HttpClient { BaseAddress = BaseUrl };
    }
}

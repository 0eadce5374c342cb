using System.Diagnostics;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using MetaModel.Candidates;
using MetaModel.Policies;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MetaModel.Benchmarks;

/// <summary>
/// One routed request end to end against instant candidates, with nobody listening and with the OpenTelemetry SDK
/// collecting every span and metric. Goal: "off" as before telemetry existed; "sdk" at most 5 µs more.
/// </summary>
#pragma warning disable CA1001 // BenchmarkDotNet disposes the router and providers in the [GlobalCleanup] method.
public class TelemetryOverheadBenchmarks
#pragma warning restore CA1001
{
    private static readonly List<ChatMessage> s_prompt = [new(ChatRole.User, "What is 2 + 2? Answer in one short sentence.")];

    private MetaModelChatClient _router = null!;
    private TracerProvider? _tracer;
    private MeterProvider? _meter;

    /// <summary>Gets or sets who listens: nobody, or the SDK with every MetaModel span sampled and every metric
    /// aggregated.</summary>
    [Params("off", "sdk")]
    public string Listener { get; set; } = "off";

    [GlobalSetup]
    public void Setup()
    {
        if (Listener == "sdk")
        {
            // The "MetaModel" names are the library's source and meter; spans go to a processor that drops them,
            // so the cost measured is creating, tagging and ending them, not exporting.
            _tracer = Sdk.CreateTracerProviderBuilder()
                .AddSource("MetaModel")
                .SetSampler(new AlwaysOnSampler())
                .AddProcessor(new DroppingProcessor())
                .Build();
            _meter = Sdk.CreateMeterProviderBuilder()
                .AddMeter("MetaModel")
                .AddReader(new PeriodicExportingMetricReader(new DroppingMetricExporter(), exportIntervalMilliseconds: 60_000))
                .Build();
        }

        _router = new MetaModelChatClient(
            [
                new ModelCandidate(
                    "fast",
                    new InstantChatClient(),
                    new ModelPricing(0.15m, 0.6m),
                    energy: new EnergyProfile(0.1, 0.3, "benchmark")),
                new ModelCandidate("spare", new InstantChatClient()),
            ],
            new OrderedRoutingPolicy(),
            new MetaModelOptions { FeedbackCapacity = 1024 });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _router.Dispose();
        _tracer?.Dispose();
        _meter?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<ChatResponse> Route() => _router.GetResponseAsync(s_prompt);

    [Benchmark]
    public async Task<int> RouteStreaming()
    {
        int updates = 0;
        await foreach (ChatResponseUpdate update in _router.GetStreamingResponseAsync(s_prompt))
        {
            updates += update.Contents.Count;
        }

        return updates;
    }

    private sealed class DroppingProcessor : BaseProcessor<Activity>;

    private sealed class DroppingMetricExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }

}

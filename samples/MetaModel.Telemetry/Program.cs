// Telemetry sample: MetaModel's spans, metrics and logs on the console through the OpenTelemetry SDK.
//
//   dotnet run --project samples/MetaModel.Telemetry
//
// To send everything to an OpenTelemetry Collector (or any OTLP endpoint) as well, set the standard variables:
//
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317 OTEL_SERVICE_NAME=my-app dotnet run --project samples/MetaModel.Telemetry
//
// The two stand-in models answer after a short delay; the cheap one fails every third call, so some requests show
// a failed attempt span, a fallback and the second attempt that answered. See README.md beside this file.
using System.Diagnostics;
using MetaModel;
using MetaModel.Candidates;
using MetaModel.Policies;
using MetaModel.Telemetry;
using MetaModel.TelemetrySample;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

bool otlp = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
ResourceBuilder resource = ResourceBuilder.CreateDefault().AddService("metamodel-telemetry-sample");
using var appSource = new ActivitySource("Sample.App");

// Traces: MetaModel's source, plus the application's own so the request spans have a parent.
TracerProviderBuilder tracing = Sdk.CreateTracerProviderBuilder()
    .SetResourceBuilder(resource)
    .AddSource(appSource.Name, MetaModelTelemetry.SourceName)
    .AddConsoleExporter();

// Metrics: the MetaModel meter; the console exporter prints them when the provider is disposed at the end.
MeterProviderBuilder metrics = Sdk.CreateMeterProviderBuilder()
    .SetResourceBuilder(resource)
    .AddMeter(MetaModelTelemetry.MeterName)
    .AddConsoleExporter();

if (otlp)
{
    // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL and _HEADERS from the environment.
    tracing.AddOtlpExporter();
    metrics.AddOtlpExporter();
}

using TracerProvider tracerProvider = tracing.Build();
using MeterProvider meterProvider = metrics.Build();

// Logs: MetaModel's source-generated messages (event ids 1-8) at Debug and above.
using ILoggerFactory logging = LoggerFactory.Create(builder => builder
    .SetMinimumLevel(LogLevel.Debug)
    .AddOpenTelemetry(options =>
    {
        options.SetResourceBuilder(resource);
        options.AddConsoleExporter();
        if (otlp)
        {
            options.AddOtlpExporter();
        }
    }));

using var router = new MetaModelChatClient(
    [
        new ModelCandidate(
            "cheap",
            new FlakyChatClient("small-model-1", "local", TimeSpan.FromMilliseconds(30), failEvery: 3),
            new ModelPricing(0.15m, 0.60m),
            energy: new EnergyProfile(0.05, 0.2, "sample figures")),
        new ModelCandidate(
            "strong",
            new FlakyChatClient("large-model-2", "hosted", TimeSpan.FromMilliseconds(80)),
            new ModelPricing(2.50m, 10m),
            energy: new EnergyProfile(0.4, 1.6, "sample figures")),
    ],
    new OrderedRoutingPolicy(),
    // Content (prompts, answers, user keys) stays out of telemetry unless this is set to true.
    new MetaModelOptions { Name = "sample-router", EnableSensitiveTelemetryData = false },
    logger: logging.CreateLogger<MetaModelChatClient>());

for (int i = 0; i < 4; i++)
{
    // The application's span: MetaModel's request span becomes its child, each attempt a grandchild.
    using Activity? request = appSource.StartActivity("handle user request");
    bool streaming = i % 2 == 1;
    try
    {
        var options = new ChatOptions().WithTenant("acme");
        if (streaming)
        {
            // The text is printed after the stream, since the exporter prints each span as it ends.
            var text = new System.Text.StringBuilder();
            await foreach (ChatResponseUpdate update in router.GetStreamingResponseAsync("Say hello.", options))
            {
                text.Append(update.Text);
            }

            Console.WriteLine(text);
        }
        else
        {
            Console.WriteLine((await router.GetResponseAsync("Say hello.", options)).Text);
        }
    }
    catch (MetaModel.Routing.RoutingFailedException ex)
    {
        Console.WriteLine("every candidate failed: " + ex.Message);
    }
}

Console.WriteLine();
Console.WriteLine("Metrics follow as the meter provider shuts down.");

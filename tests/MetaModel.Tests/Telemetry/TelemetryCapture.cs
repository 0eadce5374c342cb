using System.Diagnostics;
using MetaModel.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MetaModel.Tests.Telemetry;

/// <summary>The real OpenTelemetry SDK with in-memory exporters, listening to MetaModel and to a caller source.</summary>
public sealed class TelemetryCapture : IDisposable
{
    public static readonly ActivitySource Caller = new("MetaModel.Tests.Caller");

    private readonly TracerProvider _tracer;
    private readonly MeterProvider _meter;
    private readonly List<Activity> _activities = [];
    private readonly List<MetricSnapshot> _metrics = [];

    public TelemetryCapture()
    {
        _tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(MetaModelTelemetry.SourceName, Caller.Name)
            .SetSampler(new AlwaysOnSampler())
            .AddInMemoryExporter(_activities)
            .Build();
        _meter = Sdk.CreateMeterProviderBuilder()
            .AddMeter(MetaModelTelemetry.MeterName)
            .AddInMemoryExporter(_metrics)
            .Build();
    }

    /// <summary>Gets the ended spans of one trace, in the order they ended.</summary>
    public List<Activity> Trace(ActivityTraceId traceId)
    {
        _tracer.ForceFlush();
        lock (_activities)
        {
            return _activities.Where(a => a.TraceId == traceId).ToList();
        }
    }

    /// <summary>Gets the points of a metric whose router tag is <paramref name="routerName"/>.</summary>
    public (MetricSnapshot Metric, List<MetricPoint> Points) Metric(string name, string routerName) =>
        Metric(name, tags => tags.GetValueOrDefault(MetaModelTelemetry.Attributes.RouterName) as string == routerName);

    /// <summary>Gets the points of a metric whose tags match <paramref name="filter"/>.</summary>
    public (MetricSnapshot Metric, List<MetricPoint> Points) Metric(string name, Func<Dictionary<string, object?>, bool> filter)
    {
        _metrics.Clear();
        _meter.ForceFlush();
        MetricSnapshot metric = _metrics.Single(m => m.Name == name);
        List<MetricPoint> points = metric.MetricPoints.Where(p => filter(Tags(p))).ToList();
        return (metric, points);
    }

    public bool HasMetric(string name, Func<Dictionary<string, object?>, bool> filter)
    {
        _metrics.Clear();
        _meter.ForceFlush();
        return _metrics.Any(m => m.Name == name && m.MetricPoints.Any(p => filter(Tags(p))));
    }

    public static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    public void Dispose()
    {
        _tracer.Dispose();
        _meter.Dispose();
    }
}

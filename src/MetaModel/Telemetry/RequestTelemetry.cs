using System.Diagnostics;
using System.Text;

namespace MetaModel.Telemetry;

/// <summary>What telemetry keeps about one routed request while it runs; created only when someone listens.</summary>
internal sealed class RequestTelemetry(Activity? activity, bool sensitive)
{
    /// <summary>Gets the request's span, or <see langword="null"/> when traces are not collected.</summary>
    public Activity? Activity { get; } = activity;

    /// <summary>Gets a value indicating whether content may be recorded.</summary>
    public bool Sensitive { get; } = sensitive;

    /// <summary>Gets or sets the span of the current attempt.</summary>
    public Activity? Attempt { get; set; }

    /// <summary>Gets or sets the time to the first update of the latest streamed attempt.</summary>
    public TimeSpan? TimeToFirstChunk { get; set; }

    /// <summary>Gets or sets the error type of the latest failed attempt, the reason of a fallback.</summary>
    public string? FallbackReason { get; set; }

    /// <summary>Gets the streamed answer's text, kept only when content may be recorded.</summary>
    public StringBuilder? StreamedText { get; set; }
}

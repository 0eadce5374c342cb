using Microsoft.Extensions.Logging;

namespace MetaModel.Compliance.Recording;

/// <summary>The decision log's messages, with stable event ids. No message carries a record's content or a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(
        100,
        LogLevel.Warning,
        "Appending {Count} records to stream {Stream} failed with {ErrorKind}: {Message}. Retrying in {DelayMs} ms.",
        EventName = "AppendFailed")]
    public static partial void AppendFailed(
        ILogger logger,
        int count,
        string stream,
        string errorKind,
        string? message,
        long delayMs);

    [LoggerMessage(
        101,
        LogLevel.Error,
        "{Count} records for stream {Stream} were dropped or refused because the queue was full; the log records the loss.",
        EventName = "RecordsLost")]
    public static partial void RecordsLost(ILogger logger, long count, string stream);

    [LoggerMessage(
        102,
        LogLevel.Error,
        "The decision log writer stopped before writing {Count} queued records for stream {Stream} (shutdown timeout).",
        EventName = "ShutdownIncomplete")]
    public static partial void ShutdownIncomplete(ILogger logger, long count, string stream);

    [LoggerMessage(
        103,
        LogLevel.Information,
        "Retention deleted {Count} records of stream {Stream} older than {Cutoff}; checkpoint at {Sequence}.",
        EventName = "RetentionApplied")]
    public static partial void RetentionApplied(ILogger logger, long count, string stream, DateTimeOffset cutoff, long sequence);

    [LoggerMessage(
        104,
        LogLevel.Warning,
        "Retention on stream {Stream} failed with {ErrorKind}: {Message}.",
        EventName = "RetentionFailed")]
    public static partial void RetentionFailed(ILogger logger, string stream, string errorKind, string? message);

    [LoggerMessage(
        105,
        LogLevel.Error,
        "A {RecordKind} for stream {Stream} could not be encoded ({ErrorKind}: {Message}); the log records the loss.",
        EventName = "RecordUnencodable")]
    public static partial void RecordUnencodable(
        ILogger logger,
        string recordKind,
        string stream,
        string errorKind,
        string? message);
}

using Microsoft.Extensions.Logging;

namespace MetaModel.Testing;

/// <summary>A logger that keeps every entry at or above a level, so that a test can check what was logged.</summary>
/// <remarks>Thread-safe. Give it to the code under test as its logger, or to a host for every category through
/// <see cref="ListLoggerProvider"/>.</remarks>
public class ListLogger : ILogger
{
    private readonly List<LoggedEntry> _entries = [];

    /// <summary>Initializes a new instance of the <see cref="ListLogger"/> class.</summary>
    /// <param name="minimumLevel">The lowest level kept; every level by default.</param>
    public ListLogger(LogLevel minimumLevel = LogLevel.Trace)
    {
        MinimumLevel = minimumLevel;
    }

    /// <summary>Gets the lowest level this logger keeps.</summary>
    public LogLevel MinimumLevel { get; }

    /// <summary>Gets a copy of the entries kept so far, oldest first.</summary>
    public IReadOnlyList<LoggedEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Gets the formatted messages kept so far, oldest first.</summary>
    public IReadOnlyList<string> Messages => [.. Entries.Select(e => e.Message)];

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= MinimumLevel;

    /// <inheritdoc/>
    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var entry = new LoggedEntry(eventId, logLevel, formatter(state, exception), exception);
        lock (_entries)
        {
            _entries.Add(entry);
        }
    }
}

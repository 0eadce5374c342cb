using Microsoft.Extensions.Logging;

namespace MetaModel.Compliance.Tests.Fakes;

/// <summary>A logger that keeps every formatted line, with its exception, for inspection.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public ListLogger(List<string> lines)
    {
        Lines = lines;
    }

    public List<string> Lines { get; }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        lock (Lines)
        {
            Lines.Add(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MetaModel.LoadRun;

/// <summary>Remembers which decisions waited for a candidate to recover, from the router's own log events.</summary>
internal sealed class WaitLog : ILogger<MetaModelChatClient>
{
    public ConcurrentDictionary<string, double> Waits { get; } = new(StringComparer.Ordinal);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (eventId.Name == "WaitingForAvailability" && state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            string? decision = values.FirstOrDefault(v => v.Key == "DecisionId").Value as string;
            double delay = values.FirstOrDefault(v => v.Key == "DelayMs").Value is double ms ? ms : 0;
            if (decision is not null)
            {
                Waits.AddOrUpdate(decision, delay, (_, total) => total + delay);
            }
        }
    }
}

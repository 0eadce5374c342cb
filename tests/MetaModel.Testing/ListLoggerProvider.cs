using Microsoft.Extensions.Logging;

namespace MetaModel.Testing;

/// <summary>Hands every category one <see cref="ListLogger"/>, so that a test sees everything a host logged.</summary>
/// <param name="minimumLevel">The lowest level kept; every level by default.</param>
public sealed class ListLoggerProvider(LogLevel minimumLevel = LogLevel.Trace) : ILoggerProvider
{
    /// <summary>Gets the logger every category writes to.</summary>
    public ListLogger Logger { get; } = new(minimumLevel);

    /// <summary>Gets the formatted messages of every category, oldest first.</summary>
    public IReadOnlyList<string> Messages => Logger.Messages;

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => Logger;

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}

using Microsoft.Extensions.Logging;

namespace MetaModel.Testing;

/// <summary>A <see cref="ListLogger"/> for code that asks for the logger of its own type.</summary>
/// <typeparam name="T">The type whose name is the logger's category.</typeparam>
public sealed class ListLogger<T> : ListLogger, ILogger<T>
{
    /// <summary>Initializes a new instance of the <see cref="ListLogger{T}"/> class.</summary>
    /// <param name="minimumLevel">The lowest level kept; every level by default.</param>
    public ListLogger(LogLevel minimumLevel = LogLevel.Trace)
        : base(minimumLevel)
    {
    }
}

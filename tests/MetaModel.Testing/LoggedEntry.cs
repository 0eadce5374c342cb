using Microsoft.Extensions.Logging;

namespace MetaModel.Testing;

/// <summary>One entry that a <see cref="ListLogger"/> kept.</summary>
/// <param name="Id">The event id, with its name when the log method gave one.</param>
/// <param name="Level">The level it was logged at.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record LoggedEntry(
    EventId Id,
    LogLevel Level,
    string Message,
    Exception? Exception);

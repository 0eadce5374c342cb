namespace MetaModel.Resilience;

/// <summary>Whether a candidate can take a request now, and if not, why and until when.</summary>
internal readonly record struct Availability(bool IsAvailable, DateTimeOffset? AvailableAt, string? Reason)
{
    public static Availability Available => new(true, null, null);

    public static Availability Until(DateTimeOffset? availableAt, string reason) => new(false, availableAt, reason);
}

using System.Text.Json.Serialization;

namespace MetaModel.Gateway.Wire;

/// <summary>An error answer: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal sealed class ErrorBody
{
    public required ErrorDetail Error { get; init; }
}

/// <summary>The error itself.</summary>
internal sealed class ErrorDetail
{
    public required string Message { get; init; }

    public required string Type { get; init; }

    /// <summary>Gets the request field at fault, or null; always written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Param { get; init; }

    /// <summary>Gets a machine-readable code, or null; always written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Code { get; init; }

    /// <summary>Gets, when no candidate could serve the request, why each was excluded.</summary>
    public IReadOnlyList<ExclusionEntry>? Exclusions { get; init; }
}

/// <summary>Why one candidate could not serve a request.</summary>
internal sealed class ExclusionEntry
{
    public required string Candidate { get; init; }

    public required string Kind { get; init; }

    public required string Reason { get; init; }
}

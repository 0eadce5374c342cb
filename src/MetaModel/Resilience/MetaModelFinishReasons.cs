using Microsoft.Extensions.AI;

namespace MetaModel.Resilience;

/// <summary>Finish reasons that MetaModel itself sets.</summary>
public static class MetaModelFinishReasons
{
    /// <summary>Gets the finish reason of an answer that broke off and was ended by MetaModel: <c>incomplete</c>.</summary>
    public static ChatFinishReason Incomplete { get; } = new("incomplete");
}

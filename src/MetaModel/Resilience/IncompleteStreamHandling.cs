using Microsoft.Extensions.AI;

namespace MetaModel.Resilience;

/// <summary>What a streaming caller receives when the answer breaks off after output reached it.</summary>
public enum IncompleteStreamHandling
{
    /// <summary>The enumeration throws a <see cref="ResponseIncompleteException"/>.</summary>
    Throw,

    /// <summary>
    /// The enumeration ends with one more update whose finish reason is
    /// <see cref="MetaModelFinishReasons.Incomplete"/> and which carries an <see cref="ErrorContent"/> naming the cause.
    /// </summary>
    FinishAsIncomplete,
}

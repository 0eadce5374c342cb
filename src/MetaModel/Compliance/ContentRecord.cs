namespace MetaModel.Compliance;

/// <summary>The text of a routed request and its answer, captured only when the recorder asks for it.</summary>
/// <param name="DecisionId">The decision.</param>
/// <param name="Timestamp">When the answer was complete.</param>
/// <param name="CandidateId">The candidate that answered.</param>
/// <param name="Prompt">The prompt's messages, one line per message as <c>role: text</c>.</param>
/// <param name="Answer">The answer's text.</param>
/// <remarks>The text is raw here; a durable recorder redacts it before it is stored.</remarks>
public sealed record ContentRecord(
    string DecisionId,
    DateTimeOffset Timestamp,
    string CandidateId,
    string Prompt,
    string Answer);

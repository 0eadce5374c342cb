namespace MetaModel.ScriptedServer;

/// <summary>A function call the scripted model asks for.</summary>
/// <param name="Id">The call id.</param>
/// <param name="Name">The function name.</param>
/// <param name="ArgumentsJson">The arguments, as a JSON object text.</param>
public sealed record ScriptedToolCall(string Id, string Name, string ArgumentsJson);

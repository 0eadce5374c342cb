namespace MetaModel.ScriptedServer;

/// <summary>How a scripted stream is cut.</summary>
public enum CutMode
{
    /// <summary>The connection is aborted, as when a proxy or the provider drops it.</summary>
    Abort,

    /// <summary>The response ends cleanly, without a finish reason and without the closing <c>[DONE]</c> line.</summary>
    EndQuietly,
}

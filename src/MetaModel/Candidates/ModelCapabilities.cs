namespace MetaModel.Candidates;

/// <summary>What a candidate model can do, used to exclude candidates that cannot serve a request.</summary>
[Flags]
public enum ModelCapabilities
{
    /// <summary>Plain text chat only.</summary>
    None = 0,

    /// <summary>Accepts tool (function) definitions and returns tool calls.</summary>
    Tools = 1,

    /// <summary>Streams its answer update by update.</summary>
    Streaming = 2,

    /// <summary>Accepts images in the prompt.</summary>
    Vision = 4,

    /// <summary>Honours a JSON or JSON-schema response format.</summary>
    JsonOutput = 8,

    /// <summary>Every capability above.</summary>
    All = Tools | Streaming | Vision | JsonOutput,
}

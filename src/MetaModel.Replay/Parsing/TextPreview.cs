namespace MetaModel.Replay;

/// <summary>Shortens text for error messages, so that a long prompt or field does not flood a log.</summary>
internal static class TextPreview
{
    /// <summary>
    /// Returns <paramref name="text"/>, or its first <paramref name="length"/> characters and an ellipsis.
    /// </summary>
    public static string Of(string text, int length) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");
}

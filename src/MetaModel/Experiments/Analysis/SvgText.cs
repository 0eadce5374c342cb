using System.Net;
using System.Text;

namespace MetaModel;

/// <summary>Escapes text from the data (model names, arm names, titles) for an SVG document.</summary>
internal static class SvgText
{
    /// <summary>
    /// Returns <paramref name="text"/> as XML character data: markup characters as entities, and every character
    /// that XML 1.0 does not allow even as an entity (control characters other than tab and line breaks, a lone
    /// surrogate, U+FFFE and U+FFFF) as U+FFFD, so that the document stays well-formed whatever the data holds.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The escaped text.</returns>
    public static string Escape(string text)
    {
        StringBuilder? cleaned = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair)
            {
                cleaned?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            bool allowed = c is '\t' or '\n' or '\r' || (c >= ' ' && !char.IsSurrogate(c) && c is not '\uFFFE' and not '\uFFFF');
            if (!allowed && cleaned is null)
            {
                cleaned = new StringBuilder(text.Length).Append(text, 0, i);
            }

            cleaned?.Append(allowed ? c : '\uFFFD');
        }

        return WebUtility.HtmlEncode(cleaned?.ToString() ?? text);
    }
}

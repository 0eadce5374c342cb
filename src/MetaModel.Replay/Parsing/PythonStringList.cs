using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace MetaModel.Replay;

/// <summary>Parses the text of a Python list of string literals, as <c>repr(list_of_str)</c> writes
/// it.</summary>
/// <remarks>
/// Accepted: <c>[</c>, string literals separated by commas, an optional trailing comma, <c>]</c>, with white
/// space between tokens. A literal is quoted with <c>'</c>, <c>"</c>, <c>'''</c> or <c>"""</c>, may carry an
/// <c>r</c> or <c>u</c> prefix, and adjacent literals are concatenated as Python does. Escapes: <c>\\ \' \"
/// \a \b \f \n \r \t \v</c>, up to three octal digits, <c>\xhh</c>, <c>\uhhhh</c>, <c>\Uhhhhhhhh</c>, and a
/// backslash before a line break (which removes both). Escapes that Python keeps as written, such as
/// <c>\d</c>, are kept; <c>\N{name}</c> is kept as written, since resolving Unicode character names would
/// need the whole name table. Byte and format strings (<c>b''</c>, <c>f''</c>) and anything else are not a
/// list of strings: <see cref="TryParse"/> then returns <see langword="false"/>.
/// </remarks>
internal static class PythonStringList
{
    /// <summary>Parses <paramref name="text"/> as a Python list of string literals.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="items">The decoded strings, when the whole text is such a list.</param>
    /// <returns><see langword="true"/> when the whole text, apart from surrounding white space, is such a
    /// list.</returns>
    public static bool TryParse(string text, [NotNullWhen(true)] out List<string>? items)
    {
        items = null;
        var position = SkipWhiteSpace(text, 0);
        if (position >= text.Length || text[position] != '[')
        {
            return false;
        }

        var parsed = new List<string>();
        position = SkipWhiteSpace(text, position + 1);
        var builder = new StringBuilder();
        while (position < text.Length && text[position] != ']')
        {
            // One item: a literal, then any adjacent literals that Python concatenates with it.
            builder.Clear();
            if (!TryReadLiteral(text, ref position, builder))
            {
                return false;
            }

            position = SkipWhiteSpace(text, position);
            while (position < text.Length && text[position] is not (',' or ']'))
            {
                if (!TryReadLiteral(text, ref position, builder))
                {
                    return false;
                }

                position = SkipWhiteSpace(text, position);
            }

            parsed.Add(builder.ToString());
            if (position < text.Length && text[position] == ',')
            {
                position = SkipWhiteSpace(text, position + 1);
            }
            else if (position >= text.Length || text[position] != ']')
            {
                return false;
            }
        }

        if (position >= text.Length || SkipWhiteSpace(text, position + 1) != text.Length)
        {
            return false;
        }

        items = parsed;
        return true;
    }

    private static int SkipWhiteSpace(string text, int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t' or '\n' or '\r' or '\f')
        {
            position++;
        }

        return position;
    }

    private static bool TryReadLiteral(
        string text,
        ref int position,
        StringBuilder builder)
    {
        // Prefix: at most one of r and u, in either case. Python 3 does not allow ur, so neither do we.
        var raw = false;
        if (position < text.Length && text[position] is 'r' or 'R' or 'u' or 'U')
        {
            raw = text[position] is 'r' or 'R';
            position++;
        }

        if (position >= text.Length || text[position] is not ('\'' or '"'))
        {
            return false;
        }

        var quote = text[position];
        var triple = position + 2 < text.Length && text[position + 1] == quote && text[position + 2] == quote;
        position += triple ? 3 : 1;

        while (position < text.Length)
        {
            var c = text[position];
            if (c == quote && (!triple || IsTripleQuote(text, position, quote)))
            {
                position += triple ? 3 : 1;
                return true;
            }

            if (c is '\n' or '\r' && !triple)
            {
                return false;
            }

            if (c != '\\')
            {
                builder.Append(c);
                position++;
                continue;
            }

            if (position + 1 >= text.Length)
            {
                return false;
            }

            if (raw)
            {
                // A raw literal keeps the backslash and the character after it, which cannot end the literal.
                builder.Append(c).Append(text[position + 1]);
                position += 2;
                continue;
            }

            if (!TryReadEscape(text, ref position, builder))
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsTripleQuote(
        string text,
        int position,
        char quote) =>
        position + 2 < text.Length && text[position + 1] == quote && text[position + 2] == quote;

    private static bool TryReadEscape(
        string text,
        ref int position,
        StringBuilder builder)
    {
        // position is at the backslash, and a character follows it.
        var escaped = text[position + 1];
        position += 2;
        switch (escaped)
        {
            case '\\': builder.Append('\\'); return true;
            case '\'': builder.Append('\''); return true;
            case '"': builder.Append('"'); return true;
            case 'a': builder.Append('\a'); return true;
            case 'b': builder.Append('\b'); return true;
            case 'f': builder.Append('\f'); return true;
            case 'n': builder.Append('\n'); return true;
            case 'r': builder.Append('\r'); return true;
            case 't': builder.Append('\t'); return true;
            case 'v': builder.Append('\v'); return true;
            case '\n':
                return true;
            case '\r':
                if (position < text.Length && text[position] == '\n')
                {
                    position++;
                }

                return true;
            case 'x': return TryReadHex(text, ref position, 2, builder);
            case 'u': return TryReadHex(text, ref position, 4, builder);
            case 'U': return TryReadHex(text, ref position, 8, builder);
            case >= '0' and <= '7':
                var value = escaped - '0';
                var end = Math.Min(text.Length, position + 2);
                while (position < end && text[position] is >= '0' and <= '7')
                {
                    value = (value * 8) + (text[position] - '0');
                    position++;
                }

                builder.Append((char)value);
                return true;
            default:
                // Python keeps unknown escapes, and \N{...}, as written.
                builder.Append('\\').Append(escaped);
                return true;
        }
    }

    private static bool TryReadHex(
        string text,
        ref int position,
        int digits,
        StringBuilder builder)
    {
        if (position + digits > text.Length
            || !int.TryParse(
                text.AsSpan(position, digits),
                NumberStyles.AllowHexSpecifier,
                CultureInfo.InvariantCulture,
                out var value)
            || value is < 0 or > 0x10FFFF)
        {
            return false;
        }

        position += digits;
        if (value <= char.MaxValue)
        {
            // Python strings may hold lone surrogates; a .NET string can too, so they are kept as they are.
            builder.Append((char)value);
        }
        else
        {
            builder.Append(char.ConvertFromUtf32(value));
        }

        return true;
    }
}

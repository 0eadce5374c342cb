using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MetaModel.Compliance.Chain;

/// <summary>
/// Writes the canonical JSON of log payloads and of the passport fingerprint: the same value always gives the same
/// bytes, on any machine and culture.
/// </summary>
/// <remarks>
/// <para>Rules (version 1):</para>
/// <list type="bullet">
/// <item>UTF-8, no byte order mark, no whitespace between tokens.</item>
/// <item>Object members in ascending ordinal order of their names; a member whose value is null is left out.</item>
/// <item>Strings: <c>"</c> and <c>\</c> escaped with a backslash; U+0008, U+0009, U+000A, U+000C, U+000D as
/// <c>\b \t \n \f \r</c>; other characters below U+0020 as <c>\u00xx</c> with lowercase hex; everything else as
/// its UTF-8 bytes (a lone surrogate becomes U+FFFD).</item>
/// <item>Integers in decimal without leading zeros or plus sign. Doubles in the shortest form that reads back to
/// the same value (<c>R</c>, invariant culture), negative zero as <c>0</c>, and NaN or infinities as the strings
/// <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>. Decimals in fixed notation without trailing zeros.</item>
/// <item>Times as strings <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c> in UTC; durations as integer ticks (100 ns).</item>
/// </list>
/// <para>Member order is checked as it is written, so a payload with unsorted members cannot be produced.</para>
/// </remarks>
internal sealed class CanonicalJsonWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;
    private readonly Stack<string?> _lastNames = new();
    private bool _needsComma;

    public CanonicalJsonWriter(int initialCapacity = 512)
    {
        _buffer = new ArrayBufferWriter<byte>(initialCapacity);
    }

    public int Length => _buffer.WrittenCount;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void Reset()
    {
        _buffer.ResetWrittenCount();
        _lastNames.Clear();
        _needsComma = false;
    }

    public void StartObject()
    {
        WriteSeparator();
        WriteByte((byte)'{');
        _lastNames.Push(null);
        _needsComma = false;
    }

    public void EndObject()
    {
        _ = _lastNames.Pop();
        WriteByte((byte)'}');
        _needsComma = true;
    }

    public void StartArray()
    {
        WriteSeparator();
        WriteByte((byte)'[');
        _needsComma = false;
    }

    public void EndArray()
    {
        WriteByte((byte)']');
        _needsComma = true;
    }

    public void Name(string name)
    {
        Debug.Assert(_lastNames.Count > 0, "A name is written inside an object.");
        string? last = _lastNames.Pop();
        if (last is not null && string.CompareOrdinal(last, name) >= 0)
        {
            throw new InvalidOperationException(
                $"Canonical JSON members must be written in ordinal order: '{name}' came after '{last}'.");
        }

        _lastNames.Push(name);
        WriteSeparator();
        WriteEscaped(name);
        WriteByte((byte)':');
        _needsComma = false;
    }

    public void Property(string name, string? value)
    {
        if (value is not null)
        {
            Name(name);
            String(value);
        }
    }

    public void Property(string name, long value)
    {
        Name(name);
        Number(value);
    }

    public void Property(string name, long? value)
    {
        if (value is { } v)
        {
            Property(name, v);
        }
    }

    public void Property(string name, bool value)
    {
        Name(name);
        WriteRaw(value ? "true"u8 : "false"u8);
        _needsComma = true;
    }

    public void Property(string name, double? value)
    {
        if (value is { } v)
        {
            Name(name);
            Number(v);
        }
    }

    public void Property(string name, decimal value)
    {
        Name(name);
        WriteSeparator();
        WriteAscii(value.ToString("0.############################", CultureInfo.InvariantCulture));
        _needsComma = true;
    }

    public void Property(string name, DateTimeOffset value)
    {
        Name(name);
        String(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
    }

    public void Property(string name, TimeSpan? value)
    {
        if (value is { } v)
        {
            Property(name, v.Ticks);
        }
    }

    public void String(string value)
    {
        WriteSeparator();
        WriteEscaped(value);
        _needsComma = true;
    }

    public void Number(long value)
    {
        WriteSeparator();
        Span<byte> digits = stackalloc byte[24];
        _ = value.TryFormat(digits, out int written, provider: CultureInfo.InvariantCulture);
        WriteRaw(digits[..written]);
        _needsComma = true;
    }

    public void Number(double value)
    {
        if (!double.IsFinite(value))
        {
            String(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
            return;
        }

        WriteSeparator();
        WriteAscii(value == 0 ? "0" : value.ToString("R", CultureInfo.InvariantCulture));
        _needsComma = true;
    }

    private void WriteSeparator()
    {
        if (_needsComma)
        {
            WriteByte((byte)',');
            _needsComma = false;
        }
    }

    private void WriteEscaped(string value)
    {
        WriteByte((byte)'"');
        int start = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            string? escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\f' => "\\f",
                '\r' => "\\r",
                < ' ' => "\\u00" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (escape is null)
            {
                continue;
            }

            WriteUtf8(value.AsSpan(start, i - start));
            WriteAscii(escape);
            start = i + 1;
        }

        WriteUtf8(value.AsSpan(start));
        WriteByte((byte)'"');
    }

    private void WriteUtf8(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        Span<byte> destination = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _buffer.Advance(Encoding.UTF8.GetBytes(text, destination));
    }

    private void WriteAscii(string text)
    {
        Span<byte> destination = _buffer.GetSpan(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            destination[i] = (byte)text[i];
        }

        _buffer.Advance(text.Length);
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        WriteSeparator();
        bytes.CopyTo(_buffer.GetSpan(bytes.Length));
        _buffer.Advance(bytes.Length);
    }

    private void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }
}

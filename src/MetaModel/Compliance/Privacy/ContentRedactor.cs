using System.Text;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace MetaModel.Compliance.Privacy;

/// <summary>Redacts credentials and personal data in free text before it is stored or logged.</summary>
/// <remarks>
/// <para>
/// Each span found (see <see cref="SensitiveData"/>) is replaced by what the redactor of its classification makes of
/// it. With no <see cref="IRedactorProvider"/> the replacement is a label such as <c>[redacted:EmailAddress]</c>;
/// with one (for example from <c>services.AddRedaction(...)</c>, an erasing or HMAC redactor) its output is used.
/// </para>
/// <para>Instances are thread-safe if the provider's redactors are, as the platform's are.</para>
/// </remarks>
public sealed class ContentRedactor
{
    private readonly IRedactorProvider? _provider;

    /// <summary>Initializes a new instance of the <see cref="ContentRedactor"/> class.</summary>
    /// <param name="provider">The redactors per classification; labels when <see langword="null"/>.</param>
    public ContentRedactor(IRedactorProvider? provider = null)
    {
        _provider = provider;
    }

    /// <summary>Gets a redactor that replaces each span by a label.</summary>
    public static ContentRedactor Default { get; } = new();

    /// <summary>Returns <paramref name="text"/> with every sensitive span redacted.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The redacted text; the same instance when nothing was found; <see langword="null"/> for null.</returns>
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        List<(int Start, int Length, DataClassification Classification)> spans = SensitiveDataClassifier.Find(text);
        if (spans.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        int at = 0;
        foreach ((int start, int length, DataClassification classification) in spans)
        {
            _ = builder.Append(text, at, start - at);
            _ = builder.Append(Replace(text.AsSpan(start, length), classification));
            at = start + length;
        }

        _ = builder.Append(text, at, text.Length - at);
        return builder.ToString();
    }

    private string Replace(ReadOnlySpan<char> value, DataClassification classification)
    {
        if (_provider is null)
        {
            return "[redacted:" + classification.Value + "]";
        }

        Redactor redactor = _provider.GetRedactor(new DataClassificationSet(classification));
        return redactor.Redact(value);
    }
}

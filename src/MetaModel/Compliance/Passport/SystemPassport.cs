using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MetaModel.Compliance.Chain;

namespace MetaModel.Compliance.Passport;

/// <summary>
/// A machine-readable (JSON) and human-readable (Markdown) description of a running metamodel: its candidates, its
/// routing policy, how it is recorded, what the deployer declared, and a configuration fingerprint.
/// </summary>
/// <remarks>
/// <para>
/// The JSON has four members: <c>fingerprint</c>, <c>formatVersion</c>, <c>generatedAt</c> and <c>system</c>. The
/// fingerprint is SHA-256 over the canonical JSON (<see cref="CanonicalJsonWriter"/>) of <c>system</c>, so it
/// changes when a candidate, price, capability, energy profile, policy parameter, recorder or retention setting, or
/// declaration changes, and not when only the time of generation does.
/// </para>
/// <para>The Markdown follows the headings of the EU AI Act's technical documentation (Annex IV) and the four
/// functions of the NIST AI Risk Management Framework. Instances are immutable.</para>
/// </remarks>
public sealed class SystemPassport
{
    /// <summary>The version of the passport's JSON format.</summary>
    public const int FormatVersion = 1;

    private readonly byte[] _json;

    private SystemPassport(byte[] json, string fingerprint, DateTimeOffset generatedAt)
    {
        _json = json;
        Fingerprint = fingerprint;
        GeneratedAt = generatedAt;
    }

    /// <summary>Gets the configuration fingerprint: 64 lowercase hex digits.</summary>
    public string Fingerprint { get; }

    /// <summary>Gets when the passport was generated.</summary>
    public DateTimeOffset GeneratedAt { get; }

    /// <summary>Describes a metamodel.</summary>
    /// <param name="client">The metamodel.</param>
    /// <param name="declaration">What the deployer declares; nothing declared when <see langword="null"/>.</param>
    /// <param name="recorder">How it is recorded, or <see langword="null"/> when it is not recorded durably.</param>
    /// <param name="timeProvider">The clock for the generation time; the system clock when <see langword="null"/>.</param>
    /// <returns>The passport.</returns>
    public static SystemPassport Describe(
        MetaModelChatClient client,
        SystemDeclaration? declaration = null,
        RecorderDescription? recorder = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);

        byte[] system = PassportWriter.WriteSystem(client, declaration ?? new SystemDeclaration(), recorder);
        string fingerprint = Convert.ToHexStringLower(SHA256.HashData(system));
        DateTimeOffset generatedAt = HashChain.TruncateToMilliseconds((timeProvider ?? TimeProvider.System).GetUtcNow());
        return new SystemPassport(PassportWriter.WriteDocument(system, fingerprint, generatedAt), fingerprint, generatedAt);
    }

    /// <summary>Reads a passport from its JSON, as stored in the decision log or written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON.</param>
    /// <returns>The passport.</returns>
    /// <exception cref="FormatException">The JSON is not a passport of a known format version.</exception>
    public static SystemPassport Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json.ToArray());
            JsonElement root = document.RootElement;
            int version = root.GetProperty("formatVersion").GetInt32();
            if (version != FormatVersion)
            {
                throw new FormatException($"The passport has format version {version}; this library reads {FormatVersion}.");
            }

            return new SystemPassport(
                json.ToArray(),
                root.GetProperty("fingerprint").GetString() ?? string.Empty,
                root.GetProperty("generatedAt").GetDateTimeOffset());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException("The text is not a system passport: " + ex.Message, ex);
        }
    }

    /// <summary>Gets the passport's canonical JSON bytes, as stored in the decision log.</summary>
    /// <returns>A copy of the bytes.</returns>
    public byte[] ToCanonicalJson() => (byte[])_json.Clone();

    /// <summary>Writes the passport as JSON.</summary>
    /// <param name="indented">Whether to indent for reading; the canonical form is not indented.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = true)
    {
        if (!indented)
        {
            return Encoding.UTF8.GetString(_json);
        }

        using JsonDocument document = JsonDocument.Parse(_json);
        return JsonSerializer.Serialize(document.RootElement, PassportJsonContext.Indented);
    }

    /// <summary>Writes the passport as Markdown under the Annex IV and NIST AI RMF headings.</summary>
    /// <returns>The Markdown text.</returns>
    public string ToMarkdown()
    {
        using JsonDocument document = JsonDocument.Parse(_json);
        return PassportMarkdown.Render(document.RootElement);
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;

namespace MetaModel.Compliance.Passport;

/// <summary>The serializer settings of passport output.</summary>
internal static class PassportJsonContext
{
    public static JsonSerializerOptions Indented { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

using System.Security.Cryptography;
using System.Text;

namespace MetaModel.Gateway;

/// <summary>Hashes API keys for storage: HMAC-SHA-256 keyed by a server-side secret (the pepper).</summary>
/// <remarks>
/// API keys are long random strings, so a per-key salt adds nothing against guessing; the pepper, kept outside the
/// configuration files, makes a leaked list of hashes useless without it. Hashes are compared in constant time.
/// </remarks>
internal static class ApiKeyHasher
{
    /// <summary>The length of a stored hash: 32 bytes in hexadecimal.</summary>
    public const int HexLength = 64;

    /// <summary>Computes the stored form of <paramref name="apiKey"/>.</summary>
    /// <param name="pepper">The server-side secret.</param>
    /// <param name="apiKey">The key as clients send it.</param>
    /// <returns>64 lowercase hexadecimal digits.</returns>
    public static string Hash(string pepper, string apiKey) => Convert.ToHexStringLower(HashBytes(pepper, apiKey));

    /// <summary>Computes the 32-byte hash of <paramref name="apiKey"/>.</summary>
    /// <param name="pepper">The server-side secret.</param>
    /// <param name="apiKey">The key as clients send it.</param>
    /// <returns>The hash.</returns>
    public static byte[] HashBytes(string pepper, string apiKey) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(pepper), Encoding.UTF8.GetBytes(apiKey));

    /// <summary>Tells whether <paramref name="stored"/> has the shape of a stored hash.</summary>
    /// <param name="stored">A configured value.</param>
    /// <returns><see langword="true"/> for 64 hexadecimal digits.</returns>
    public static bool IsWellFormed(string? stored) =>
        stored is { Length: HexLength } && stored.All(Uri.IsHexDigit);
}

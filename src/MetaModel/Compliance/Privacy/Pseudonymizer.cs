using System.Security.Cryptography;
using System.Text;

namespace MetaModel.Compliance.Privacy;

/// <summary>Replaces tenant and user identifiers by keyed hashes (HMAC-SHA256), so the log never holds them raw.</summary>
/// <remarks>
/// <para>
/// The pseudonym of a value is the lowercase hex of HMAC-SHA256(key, purpose ‖ 0x00 ‖ UTF-8(value)), where purpose
/// is <c>tenant</c> or <c>user</c>: the same id gives the same pseudonym under one key, so reports can group by it,
/// while nobody without the key can test a guess. Rotating the key starts new pseudonyms; the key id recorded with
/// every pseudonym says which key made it.
/// </para>
/// <para>The key is copied and never written anywhere. Instances are thread-safe.</para>
/// </remarks>
public sealed class Pseudonymizer
{
    /// <summary>The shortest key accepted, in bytes.</summary>
    public const int MinimumKeyLength = 16;

    private readonly byte[] _key;

    /// <summary>Initializes a new instance of the <see cref="Pseudonymizer"/> class.</summary>
    /// <param name="key">The secret key, at least <see cref="MinimumKeyLength"/> bytes; 32 random bytes are advised.</param>
    /// <param name="keyId">A short public name for the key, recorded with every pseudonym.</param>
    /// <exception cref="ArgumentException">The key is too short or the key id is empty.</exception>
    public Pseudonymizer(byte[] key, string keyId)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        if (key.Length < MinimumKeyLength)
        {
            throw new ArgumentException(
                $"The pseudonymization key must be at least {MinimumKeyLength} bytes long (32 random bytes are advised).",
                nameof(key));
        }

        _key = (byte[])key.Clone();
        KeyId = keyId;
    }

    /// <summary>Gets the key's public name.</summary>
    public string KeyId { get; }

    /// <summary>Computes the pseudonym of a tenant id.</summary>
    /// <param name="tenantId">The tenant id.</param>
    /// <returns>64 lowercase hex digits, or <see langword="null"/> for <see langword="null"/>.</returns>
    public string? Tenant(string? tenantId) => Hash("tenant", tenantId);

    /// <summary>Computes the pseudonym of a user or session key.</summary>
    /// <param name="userKey">The user key.</param>
    /// <returns>64 lowercase hex digits, or <see langword="null"/> for <see langword="null"/>.</returns>
    public string? User(string? userKey) => Hash("user", userKey);

    private string? Hash(string purpose, string? value)
    {
        if (value is null)
        {
            return null;
        }

        int length = purpose.Length + 1 + Encoding.UTF8.GetByteCount(value);
        byte[] input = new byte[length];
        int at = Encoding.ASCII.GetBytes(purpose, input);
        input[at++] = 0;
        _ = Encoding.UTF8.GetBytes(value, input.AsSpan(at));
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        _ = HMACSHA256.HashData(_key, input, mac);
        return Convert.ToHexStringLower(mac);
    }
}

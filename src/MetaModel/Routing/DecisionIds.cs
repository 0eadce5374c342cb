using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MetaModel.Routing;

/// <summary>
/// Creates decision ids: time-ordered UUIDs of version 7 (RFC 9562), written as 32 lower-case hexadecimal digits,
/// the same text as <c>Guid.CreateVersion7(time).ToString("N")</c>.
/// </summary>
/// <remarks>
/// The 74 random bits come from the operating system's cryptographic generator, as those of
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/> do, but are drawn a block at a time into a buffer per thread:
/// the platform's method reads the generator once per id, a system call that measured about a twentieth of the
/// routing overhead. Ids stay unguessable, which matters because feedback names a decision by its id.
/// </remarks>
internal static class DecisionIds
{
    /// <summary>The random bytes one id takes: 12 bits of rand_a and 62 of rand_b, rounded up to bytes.</summary>
    private const int BytesPerId = 10;

    /// <summary>The random bytes drawn at once: enough for 51 ids.</summary>
    private const int BufferLength = 512;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    /// <summary>Creates the id of a decision made at <paramref name="time"/>.</summary>
    /// <param name="time">The time of the decision; its Unix milliseconds lead the id, so ids sort by time.</param>
    /// <returns>32 lower-case hexadecimal digits.</returns>
    public static string Create(DateTimeOffset time)
    {
        byte[]? random = t_random;
        int used = t_used;
        if (random is null || used > BufferLength - BytesPerId)
        {
            random ??= t_random = new byte[BufferLength];
            RandomNumberGenerator.Fill(random);
            used = 0;
        }

        t_used = used + BytesPerId;
        ReadOnlySpan<byte> bits = random.AsSpan(used, BytesPerId);
        Span<byte> uuid = stackalloc byte[16];

        // unix_ts_ms (48 bits) | ver = 7 (4) | rand_a (12) | var = 0b10 (2) | rand_b (62), big-endian.
        long milliseconds = Math.Max(0, time.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(uuid, milliseconds << 16);
        uuid[6] = (byte)(0x70 | (bits[0] & 0x0F));
        uuid[7] = bits[1];
        uuid[8] = (byte)(0x80 | (bits[2] & 0x3F));
        bits.Slice(3, 7).CopyTo(uuid.Slice(9));
        return Convert.ToHexStringLower(uuid);
    }
}

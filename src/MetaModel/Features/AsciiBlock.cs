using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MetaModel.Features;

/// <summary>Classifies 32 UTF-16 characters at once: word characters, letters and marker characters, as bitmasks.</summary>
/// <remarks>
/// <para>
/// A block is narrowed to bytes, each byte is classified by two 16-entry table lookups (one by its low nibble,
/// one by its high nibble, combined with a bitwise and), and the bytes are written out with bit 5 set, which
/// case-folds ASCII letters and leaves digits unchanged. Bit i of a mask describes character i of the block.
/// The classes are meaningful for ASCII only; the caller discards a block whose return value is nonzero.
/// </para>
/// <para>
/// Three implementations give the same result: 256-bit vectors with AVX2, 128-bit vectors where those are
/// accelerated (SSSE3, Arm64 AdvSimd), and a plain loop.
/// </para>
/// </remarks>
internal static class AsciiBlock
{
    /// <summary>The number of characters in a block.</summary>
    public const int Length = 32;

    // Class bits. Letters: A = high nibble 4 or 6 with low nibble 1–F, B = high nibble 5 or 7 with low nibble 0–A;
    // digits: C = high nibble 3 with low nibble 0–9. Marker characters: E = "\n", "\v", "*", "+"; F = ";<=>?";
    // G = "\\", "^"; H = "`"; I = "{", "}". A byte is in a class when the bit is set in both of its table entries.
    private const byte A = 1, B = 2, C = 4, E = 8, F = 16, G = 32, H = 64, I = 128;
    private const byte WordClasses = A | B | C, LetterClasses = A | B, MarkerClasses = E | F | G | H | I;

    /// <summary>The class bits allowed by each low nibble.</summary>
    private static ReadOnlySpan<byte> LowTable =>
    [
        B | C | H, A | B | C, A | B | C, A | B | C, A | B | C, A | B | C, A | B | C, A | B | C,
        A | B | C, A | B | C, A | B | E, A | E | F | I, A | F | G, A | F | I, A | F | G, A | F,
    ];

    /// <summary>The class bits allowed by each high nibble.</summary>
    private static ReadOnlySpan<byte> HighTable => [E, 0, E, C | F, A, B | G, A | H, B | I, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Classifies <see cref="Length"/> characters and writes them, case-folded, as bytes.</summary>
    /// <param name="source">The first character; <see cref="Length"/> characters are read.</param>
    /// <param name="folded">The first destination byte; <see cref="Length"/> bytes are written.</param>
    /// <param name="words">Set for ASCII letters and digits.</param>
    /// <param name="letters">Set for ASCII letters.</param>
    /// <param name="markers">Set for the characters that take part in a marker: <c>\n * + ; &lt; = &gt; ? \ ^ ` { }</c>
    /// (and the vertical tab, which has no effect).</param>
    /// <returns>Nonzero when a character is not ASCII; the masks and bytes are then meaningless.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Classify(
        ref char source,
        ref byte folded,
        out uint words,
        out uint letters,
        out uint markers)
    {
        if (Avx2.IsSupported)
        {
            return Classify256(ref source, ref folded, out words, out letters, out markers);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            uint nonAscii = Classify128(ref source, ref folded, out uint words0, out uint letters0, out uint markers0);
            nonAscii |= Classify128(ref Unsafe.Add(ref source, 16), ref Unsafe.Add(ref folded, 16), out uint words1,
                out uint letters1, out uint markers1);
            words = words0 | (words1 << 16);
            letters = letters0 | (letters1 << 16);
            markers = markers0 | (markers1 << 16);
            return nonAscii;
        }

        return ClassifyScalar(ref source, ref folded, out words, out letters, out markers);
    }

    /// <summary>The plain implementation, also the definition the vector ones follow.</summary>
    internal static uint ClassifyScalar(
        ref char source,
        ref byte folded,
        out uint words,
        out uint letters,
        out uint markers)
    {
        uint nonAscii = 0;
        words = letters = markers = 0;
        for (int i = 0; i < Length; i++)
        {
            char c = Unsafe.Add(ref source, i);
            nonAscii |= (uint)c >> 7;
            byte classes = (byte)(LowTable[c & 0xF] & HighTable[(c >> 4) & 0xF]);
            words |= (classes & WordClasses) != 0 ? 1u << i : 0;
            letters |= (classes & LetterClasses) != 0 ? 1u << i : 0;
            markers |= (classes & MarkerClasses) != 0 ? 1u << i : 0;
            Unsafe.Add(ref folded, i) = (byte)(c | 0x20);
        }

        return nonAscii;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Classify256(
        ref char source,
        ref byte folded,
        out uint words,
        out uint letters,
        out uint markers)
    {
        ref ushort units = ref Unsafe.As<char, ushort>(ref source);
        Vector256<ushort> first = Vector256.LoadUnsafe(ref units);
        Vector256<ushort> second = Vector256.LoadUnsafe(ref units, 16);
        Vector256<byte> bytes = Vector256.Narrow(first, second);

        // Each 128-bit lane of a table holds the same 16 entries, since the byte shuffle works within lanes.
        Vector128<byte> low = Vector128.Create(LowTable);
        Vector128<byte> high = Vector128.Create(HighTable);
        Vector256<byte> nibble = Vector256.Create((byte)0xF);
        Vector256<byte> classes = Avx2.Shuffle(Vector256.Create(low, low), bytes & nibble)
            & Avx2.Shuffle(Vector256.Create(high, high), Vector256.ShiftRightLogical(bytes.AsUInt16(), 4).AsByte() & nibble);

        (bytes | Vector256.Create((byte)0x20)).StoreUnsafe(ref folded);
        words = ~Vector256.Equals(classes & Vector256.Create(WordClasses), Vector256<byte>.Zero).ExtractMostSignificantBits();
        letters = ~Vector256.Equals(classes & Vector256.Create(LetterClasses), Vector256<byte>.Zero).ExtractMostSignificantBits();
        markers = ~Vector256.Equals(classes & Vector256.Create(MarkerClasses), Vector256<byte>.Zero).ExtractMostSignificantBits();
        return ((first | second) & Vector256.Create((ushort)0xFF80)) != Vector256<ushort>.Zero ? 1u : 0u;
    }

    private static uint Classify128(
        ref char source,
        ref byte folded,
        out uint words,
        out uint letters,
        out uint markers)
    {
        ref ushort units = ref Unsafe.As<char, ushort>(ref source);
        Vector128<ushort> first = Vector128.LoadUnsafe(ref units);
        Vector128<ushort> second = Vector128.LoadUnsafe(ref units, 8);
        Vector128<byte> bytes = Vector128.Narrow(first, second);

        Vector128<byte> nibble = Vector128.Create((byte)0xF);
        Vector128<byte> classes = Vector128.ShuffleNative(Vector128.Create(LowTable), bytes & nibble)
            & Vector128.ShuffleNative(
                Vector128.Create(HighTable),
                Vector128.ShiftRightLogical(bytes.AsUInt16(), 4).AsByte() & nibble);

        (bytes | Vector128.Create((byte)0x20)).StoreUnsafe(ref folded);
        words = ~Vector128.Equals(classes & Vector128.Create(WordClasses), Vector128<byte>.Zero).ExtractMostSignificantBits()
            & 0xFFFF;
        letters = ~Vector128.Equals(classes & Vector128.Create(LetterClasses), Vector128<byte>.Zero).ExtractMostSignificantBits()
            & 0xFFFF;
        markers = ~Vector128.Equals(classes & Vector128.Create(MarkerClasses), Vector128<byte>.Zero).ExtractMostSignificantBits()
            & 0xFFFF;
        return ((first | second) & Vector128.Create((ushort)0xFF80)) != Vector128<ushort>.Zero ? 1u : 0u;
    }
}

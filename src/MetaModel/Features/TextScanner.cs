using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MetaModel.Features;

/// <summary>Reads the text of a prompt once, adding signed hashed tokens to integer slots and counting markers.</summary>
/// <remarks>
/// <para>
/// A text fragment is read in chunks of <see cref="ChunkLength"/> characters. A chunk of ASCII text takes the
/// vector path (<see cref="ScanAsciiChunk"/>): blocks of 32 characters are classified into bitmasks and case-folded
/// into a byte buffer, words are found with trailing-zero counts over the masks, and marker characters, which
/// are rare, are visited one by one. A chunk with any other character takes the scalar path
/// (<see cref="ScanScalar"/>), which produces exactly the same tokens and counts. A word that runs past the end
/// of a chunk is left to the next chunk, which starts at the word.
/// </para>
/// <para>
/// Tokens add integer weights to 64-bit slots, so the result does not depend on the order in which tokens are
/// added and cannot overflow; the featurizer converts the slots to floats once. Nothing is allocated: every
/// buffer is a span handed in by the caller.
/// </para>
/// </remarks>
internal ref partial struct TextScanner
{
    /// <summary>The number of characters classified at once; a multiple of 64.</summary>
    public const int ChunkLength = 256;

    /// <summary>Bytes before and after the folded characters, so that 64-bit reads near a word never leave the buffer.</summary>
    public const int Padding = 8;

    /// <summary>The length of the byte buffer for folded characters.</summary>
    public const int FoldedLength = Padding + ChunkLength + Padding;

    /// <summary>The longest word that the scalar path folds once into a buffer.</summary>
    public const int WordLength = 64;

    /// <summary>The length of the trigram queue: at most one long word per seven characters of a chunk.</summary>
    public const int TrigramQueueLength = (ChunkLength / MinimumTrigramWordLength) + 2;

    /// <summary>The length of each of the three mask buffers, in 32-bit blocks: a chunk plus one zero 64-bit group.</summary>
    public const int MaskLength = (ChunkLength / AsciiBlock.Length) + 2;

    /// <summary>The weights, in integer units, of a user message's tokens; other roles weigh half.</summary>
    public const long UnigramWeight = 20, BigramWeight = 14, TrigramWeight = 8, ScriptWeight = 20;

    /// <summary>Words of at least this many characters add their leading and trailing trigrams.</summary>
    public const int MinimumTrigramWordLength = 6;

    private const ulong UnigramSalt = 1UL << 56, BigramSalt = 2UL << 56, PrefixSalt = 3UL << 56;
    private const ulong SuffixSalt = 4UL << 56, ScriptSalt = 5UL << 56;

    private readonly Span<long> _slots;
    private readonly Span<byte> _folded;
    private readonly Span<uint> _wordMasks, _letterMasks, _markerMasks;
    private readonly Span<char> _tail;
    private readonly Span<ulong> _trigrams;
    private readonly Span<char> _word;
    private long _unigramWeight, _bigramWeight, _trigramWeight;

    // The bigram weight of the next word: 0 for the first word of a message, so that it has no bigram.
    private long _nextBigramWeight;
    private ulong _previousWord;
    private ScriptCounts _scripts;

    /// <summary>Initializes a scanner that adds tokens to <paramref name="slots"/>, which must be zero.</summary>
    /// <param name="slots">The hashed slots, at least one.</param>
    /// <param name="folded">A buffer of <see cref="FoldedLength"/> bytes.</param>
    /// <param name="masks">A buffer of 3 × <see cref="MaskLength"/> 32-bit masks.</param>
    /// <param name="tail">A buffer of <see cref="AsciiBlock.Length"/> characters.</param>
    /// <param name="trigrams">A buffer of <see cref="TrigramQueueLength"/> queued trigram pairs.</param>
    /// <param name="word">A buffer of <see cref="WordLength"/> characters for the scalar path's folded words.</param>
    public TextScanner(
        Span<long> slots,
        Span<byte> folded,
        Span<uint> masks,
        Span<char> tail,
        Span<ulong> trigrams,
        Span<char> word)
    {
        _word = word.Slice(0, WordLength);
        _trigrams = trigrams.Slice(0, TrigramQueueLength);
        _slots = slots;
        _folded = folded.Slice(0, FoldedLength);
        _wordMasks = masks.Slice(0, MaskLength);
        _letterMasks = masks.Slice(MaskLength, MaskLength);
        _markerMasks = masks.Slice(2 * MaskLength, MaskLength);
        _tail = tail.Slice(0, AsciiBlock.Length);
    }

    public int Characters { get; private set; }

    public int Letters { get; private set; }

    public int NonLatinLetters { get; private set; }

    public int CodePunctuation { get; private set; }

    public int CodeKeywords { get; private set; }

    public bool CodeFence { get; private set; }

    public int MathHits { get; private set; }

    public int ChoiceLines { get; private set; }

    public int ListLines { get; private set; }

    public bool Question { get; private set; }

    /// <summary>Starts a message, whose tokens weigh fully for a user message and half otherwise.</summary>
    public void BeginMessage(bool user)
    {
        int shift = user ? 0 : 1;
        _unigramWeight = UnigramWeight >> shift;
        _bigramWeight = BigramWeight >> shift;
        _trigramWeight = TrigramWeight >> shift;
        _nextBigramWeight = 0;
    }

    /// <summary>Scans one text fragment of the current message; a fragment starts a new line and a new word.</summary>
    public void Scan(ReadOnlySpan<char> text)
    {
        Characters += text.Length;
        ObserveLine(text, 0);
        int position = 0;
        while (position < text.Length)
        {
            int end = Math.Min(position + ChunkLength, text.Length);

            // The vector path reads characters into 64-bit values little-endian; it returns −1 for a chunk with
            // a non-ASCII character and for one that is a single unfinished word, which the scalar path finishes.
            int next = BitConverter.IsLittleEndian ? ScanAsciiChunk(text, position, end) : -1;
            position = next >= 0 ? next : ScanScalar(text, position, end);
        }
    }

    /// <summary>Adds one token per script family that makes up at least a twentieth of the letters.</summary>
    public void EmitScriptHints()
    {
        for (int family = 0; family < ScriptCounts.Length; family++)
        {
            if (_scripts[family] > 0 && _scripts[family] * 20 >= Letters)
            {
                Add(ref MemoryMarshal.GetReference(_slots), (ulong)_slots.Length, StableHash.Mix((ulong)family, ScriptSalt),
                    ScriptWeight);
            }
        }
    }

    /// <summary>Adds the tokens of a word given its hash, its trigrams and its length in characters.</summary>
    private void EmitWord(
        ulong hash,
        ulong prefix,
        ulong suffix,
        int characters)
    {
        ref long slots = ref MemoryMarshal.GetReference(_slots);
        EmitTokens(ref slots, (ulong)_slots.Length, hash, _previousWord, _unigramWeight, _nextBigramWeight);
        if (characters >= MinimumTrigramWordLength)
        {
            EmitTrigrams(ref slots, (ulong)_slots.Length, prefix, suffix, _trigramWeight);
        }

        CountKeyword(hash);
        _previousWord = hash;
        _nextBigramWeight = _bigramWeight;
    }

    private void CountKeyword(ulong hash)
    {
        byte kind = KeywordTable.Lookup(hash);
        if (kind != KeywordTable.None)
        {
            CodeKeywords += kind == KeywordTable.Code ? 1 : 0;
            MathHits += kind == KeywordTable.Math ? 1 : 0;
        }
    }

    /// <summary>Adds a word's unigram and its bigram with the previous word.</summary>
    /// <remarks>A bigram of weight 0 adds nothing, so that the first word of a message costs no branch.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EmitTokens(
        ref long slots,
        ulong slotCount,
        ulong hash,
        ulong previous,
        long unigramWeight,
        long bigramWeight)
    {
        Add(ref slots, slotCount, StableHash.Mix(hash, UnigramSalt), unigramWeight);
        Add(ref slots, slotCount, BitOperations.RotateLeft(previous, 23) ^ hash ^ BigramSalt, bigramWeight);
    }

    /// <summary>Adds the leading and trailing trigrams of a long word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void EmitTrigrams(
        ref long slots,
        ulong slotCount,
        ulong prefix,
        ulong suffix,
        long weight)
    {
        Add(ref slots, slotCount, StableHash.Mix(prefix, PrefixSalt), weight);
        Add(ref slots, slotCount, StableHash.Mix(suffix, SuffixSalt), weight);
    }

    /// <summary>Adds ±<paramref name="weight"/> to the slot that the token value <paramref name="token"/> selects.</summary>
    /// <remarks>
    /// Bits 31–62 of the value, as a fraction of 2³², are scaled to the slot count with one multiply (so the slot is
    /// in range and needs no bounds check); bit 63 is the sign, and is not among the bits that choose the slot.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(
        ref long slots,
        ulong slotCount,
        ulong token,
        long weight)
    {
        nuint slot = (nuint)((((token << 1) >> 32) * slotCount) >> 32);
        long sign = (long)token >> 63;
        Unsafe.Add(ref slots, slot) += (weight ^ sign) - sign;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsAsciiLetterOrDigit(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9;
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MetaModel.Features;

/// <content>The vector path: a chunk of ASCII text, classified 32 characters at a time.</content>
internal ref partial struct TextScanner
{
    /// <summary>Scans the ASCII chunk <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>).</summary>
    /// <returns>
    /// Where the next chunk starts: <paramref name="end"/>, or the start of a word that continues past it; −1 when
    /// the chunk has a non-ASCII character or is one unfinished word, and nothing was scanned.
    /// </returns>
    private int ScanAsciiChunk(
        ReadOnlySpan<char> text,
        int start,
        int end)
    {
        // Classify every block of the chunk, stopping at the first with a character beyond ASCII; a partial last
        // block is copied into a buffer padded with zeros.
        int length = end - start;
        ref char source = ref Unsafe.Add(ref MemoryMarshal.GetReference(text), start);
        ref byte folded = ref Unsafe.Add(ref MemoryMarshal.GetReference(_folded), Padding);
        ref uint words = ref MemoryMarshal.GetReference(_wordMasks);
        ref uint letters = ref MemoryMarshal.GetReference(_letterMasks);
        ref uint markers = ref MemoryMarshal.GetReference(_markerMasks);
        uint nonAscii = 0;
        int block = 0;
        for (; block + AsciiBlock.Length <= length; block += AsciiBlock.Length)
        {
            int b = block / AsciiBlock.Length;
            if (AsciiBlock.Classify(
                ref Unsafe.Add(ref source, block),
                ref Unsafe.Add(ref folded, block),
                out Unsafe.Add(ref words, b),
                out Unsafe.Add(ref letters, b),
                out Unsafe.Add(ref markers, b)) != 0)
            {
                return -1;
            }
        }

        if (block < length)
        {
            _tail.Clear();
            text.Slice(start + block, length - block).CopyTo(_tail);
            int b = block / AsciiBlock.Length;
            nonAscii |= AsciiBlock.Classify(
                ref MemoryMarshal.GetReference(_tail),
                ref Unsafe.Add(ref folded, block),
                out Unsafe.Add(ref words, b),
                out Unsafe.Add(ref letters, b),
                out Unsafe.Add(ref markers, b));
            block += AsciiBlock.Length;
        }

        if (nonAscii != 0)
        {
            return -1;
        }

        // A word that reaches the end of the chunk may continue in the text: leave it to the next chunk.
        int limit = end;
        if (end < text.Length)
        {
            while (limit > start && IsAsciiLetterOrDigit(text[limit - 1]))
            {
                limit--;
            }

            if (limit == start)
            {
                return -1;
            }
        }

        // Clear the bits from the limit on, in the 64-bit group of the limit and the one after the last block,
        // so that the last word ends at the limit and nothing past it is counted.
        int used = limit - start;
        int lastGroup = used / 64;
        for (int b = block / AsciiBlock.Length; b < MaskLength; b++)
        {
            Unsafe.Add(ref words, b) = Unsafe.Add(ref letters, b) = Unsafe.Add(ref markers, b) = 0;
        }

        ulong keep = (1UL << (used % 64)) - 1;
        ref ulong wordGroups = ref Unsafe.As<uint, ulong>(ref words);
        ref ulong letterGroups = ref Unsafe.As<uint, ulong>(ref letters);
        ref ulong markerGroups = ref Unsafe.As<uint, ulong>(ref markers);
        Unsafe.Add(ref wordGroups, lastGroup) &= keep;
        Unsafe.Add(ref letterGroups, lastGroup) &= keep;
        Unsafe.Add(ref markerGroups, lastGroup) &= keep;

        EmitAsciiWords(ref wordGroups, lastGroup, ref folded);

        int letterCount = 0;
        for (int g = 0; g <= lastGroup; g++)
        {
            letterCount += BitOperations.PopCount(Unsafe.Add(ref letterGroups, g));
            for (ulong marks = Unsafe.Add(ref markerGroups, g); marks != 0; marks &= marks - 1)
            {
                HandleMarker(text, start + (g * 64) + BitOperations.TrailingZeroCount(marks));
            }
        }

        Letters += letterCount;
        return limit;
    }

    /// <summary>Emits every word of a classified chunk: a word starts at each 0→1 step of the word mask and ends at
    /// the next 1→0 step.</summary>
    private void EmitAsciiWords(
        ref ulong wordGroups,
        int lastGroup,
        ref byte folded)
    {
        // The state of the word loop lives in locals, so that it stays in registers.
        ref long slots = ref MemoryMarshal.GetReference(_slots);
        ulong slotCount = (ulong)_slots.Length;
        long unigramWeight = _unigramWeight, bigramWeight = _bigramWeight, trigramWeight = _trigramWeight;
        long nextBigramWeight = _nextBigramWeight;
        ulong previous = _previousWord;
        int codeKeywords = 0, mathKeywords = 0;
        ref ulong trigrams = ref MemoryMarshal.GetReference(_trigrams);
        int trigramCount = 0;

        // Bit i of the starts is set where character i of the chunk starts a word, and bit i of the ends where the
        // character after a word is; starts and ends alternate, so the nth end closes the word of the nth start.
        // A word may run from one 64-bit group into the next: its start is then carried over.
        ulong carry = 0;
        bool open = false;
        int wordStart = 0;
        for (int g = 0; g <= lastGroup; g++)
        {
            ulong mask = Unsafe.Add(ref wordGroups, g);
            ulong before = (mask << 1) | carry;
            ulong starts = mask & ~before;
            ulong ends = before & ~mask;
            carry = mask >> 63;
            int groupStart = g * 64;
            for (; ends != 0; ends &= ends - 1)
            {
                if (!open)
                {
                    wordStart = groupStart + BitOperations.TrailingZeroCount(starts);
                    starts &= starts - 1;
                }

                open = false;
                int position = groupStart + BitOperations.TrailingZeroCount(ends);

                // The first eight characters are one masked read (the shift is 0 from eight characters on); a longer
                // word absorbs its further pieces in a loop.
                int count = position - wordStart;
                ref byte word = ref Unsafe.Add(ref folded, wordStart);
                int missing = 8 - count;
                missing &= ~(missing >> 31);
                ulong first = Unsafe.ReadUnaligned<ulong>(ref word) & (ulong.MaxValue >> (missing * 8));
                ulong hash = StableHash.Absorb((ulong)count, first);
                if (count > 8)
                {
                    hash = AbsorbRest(ref word, count, hash);
                }

                EmitTokens(ref slots, slotCount, hash, previous, unigramWeight, nextBigramWeight);

                // The trigrams of a long word, leading in the low and trailing in the high half, are queued and
                // emitted after the loop: every word writes the queue, and only a long one advances it, so the
                // length costs no branch. The trailing trigram is the top three of the four bytes that end the
                // word; the padding before the buffer keeps the read in range for short words.
                ulong suffix = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref folded, position - 4)) >> 8;
                Unsafe.Add(ref trigrams, trigramCount) = (first & 0xFF_FFFF) | (suffix << 32);
                trigramCount += (int)((uint)(MinimumTrigramWordLength - 1 - count) >> 31);

                byte kind = KeywordTable.Lookup(hash);
                if (kind != KeywordTable.None)
                {
                    codeKeywords += kind == KeywordTable.Code ? 1 : 0;
                    mathKeywords += kind == KeywordTable.Math ? 1 : 0;
                }

                previous = hash;
                nextBigramWeight = bigramWeight;
            }

            if (starts != 0)
            {
                wordStart = groupStart + BitOperations.TrailingZeroCount(starts);
                open = true;
            }
        }

        for (int t = 0; t < trigramCount; t++)
        {
            ulong pair = Unsafe.Add(ref trigrams, t);
            EmitTrigrams(ref slots, slotCount, pair & 0xFF_FFFF, pair >> 32, trigramWeight);
        }

        _previousWord = previous;
        _nextBigramWeight = nextBigramWeight;
        CodeKeywords += codeKeywords;
        MathHits += mathKeywords;
    }

    /// <summary>Absorbs the pieces after the first eight bytes of a word of more than eight ASCII characters.</summary>
    private static ulong AbsorbRest(
        ref byte word,
        int count,
        ulong hash)
    {
        for (int offset = 8; offset < count; offset += 8)
        {
            ulong piece = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref word, offset));
            hash = StableHash.Absorb(hash, piece & (ulong.MaxValue >> (Math.Max(offset + 8 - count, 0) * 8)));
        }

        return hash;
    }
}

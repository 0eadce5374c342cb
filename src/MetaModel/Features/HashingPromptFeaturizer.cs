using System.Buffers;
using System.Numerics.Tensors;
using MetaModel.Routing;
using Microsoft.Extensions.AI;

namespace MetaModel.Features;

/// <summary>
/// Featurizes a prompt in-process by signed feature hashing of its words and character n-grams, plus length
/// buckets and structural markers; deterministic across processes and allocation-free.
/// </summary>
/// <remarks>
/// <para>
/// Layout of a vector of dimension d: slot 0 is a constant bias of 1; slots 1–6 one-hot encode the total text
/// length (&lt;64, &lt;256, &lt;1K, &lt;4K, &lt;16K, ≥16K characters); slots 7–14 flag code, math, multiple choice,
/// non-Latin script, a question mark, list structure, more than one user message, and a system prompt; slots
/// 15 to d − 1 (n = d − 15 of them) hold hashed tokens. Only <see cref="TextContent"/> with text is read; each
/// such fragment starts a new word and a new line.
/// </para>
/// <para>
/// Words: a word is a maximal run of word characters, which are ASCII letters and digits and the other
/// characters that are letters or digits after <see cref="char.ToLowerInvariant(char)"/>; a word character of a
/// script written without spaces (Thai U+0E00–0E7F, kana U+3040–30FF, CJK U+3400–9FFF) is a word of its own.
/// Characters are folded: ASCII letters to lower case, other non-ASCII characters by the invariant culture. A
/// folded word (or trigram) whose characters are all ASCII is encoded as one byte per character; otherwise as
/// UTF-16 code units, two bytes each, little-endian.
/// </para>
/// <para>
/// Hashes, all fixed functions (never <see cref="string.GetHashCode()"/>), so identical in every process, with
/// M = 0x9E3779B97F4A7C15: a word's hash h starts at its byte count, plus 2⁶³ for the UTF-16 encoding, and
/// absorbs its bytes as little-endian 64-bit pieces, the last padded with zero bytes, each by z = (h ⊕ piece)·M,
/// h = z ⊕ (z ≫ 29). A trigram's value is its three bytes c₀ | c₁≪8 | c₂≪16 when ASCII, and otherwise
/// c₀ | c₁≪16 | c₂≪32 | 2⁶³. Every word adds these tokens, each a 64-bit value t:
/// its unigram t = (h ⊕ 2⁵⁶)·M; its bigram with the previous word of the same message,
/// t = (h_prev ⋘ 23) ⊕ h ⊕ 2·2⁵⁶;
/// and, when it has at least six characters, its leading and trailing trigrams, t = (trigram ⊕ f·2⁵⁶)·M with
/// f = 3 and 4. A script family (Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai, Hangul, kana, Han, other)
/// with at least a twentieth of the letters adds t = (family ⊕ 5·2⁵⁶)·M. A token adds ±its weight to hashed slot
/// ⌊((t ≫ 31) mod 2³²) · n / 2³²⌋, negative when bit 63 of t is set. Weights are integers, summed exactly in
/// 64 bits: a unigram 20, a bigram 14, a trigram 8 in a user message and half of that in other roles; a script
/// hint 20.
/// </para>
/// <para>
/// Markers: letters are ASCII letters and non-ASCII characters that are letters after folding, non-Latin ones
/// those from U+0370 (flagged when they are at least a fifth of the letters). Question: one of ? ？ ؟ and U+037E. Code: a
/// fragment contains "```", or two or more words are code keywords, or there are four or more of { } ;. Math:
/// two or more hits, where each of ∑ ∫ √ ≤ ≥ ≠ ± ∞ π ∂ ÷ × (after folding) counts 2, and 1 each counts a
/// backslash followed by an ASCII letter, an operator + * ^ = &lt; &gt; whose nearest non-space characters on both
/// sides are ASCII digits, and a math keyword. Lines: after leading spaces, tabs and carriage returns, the first
/// three characters of a line (a space past its end) make it a multiple-choice option ("A)", "b.", "c:", "(d)";
/// letters a–e in either case) or a list item ("- ", "* ", "• ", a number and "." or ")"); two or more of a kind
/// set the flag.
/// </para>
/// <para>
/// Assembly: the hashed slots, converted to float, are scaled to norm 1 (left zero without tokens), the length
/// bucket and each marker set to 0.5, and then slots 1 to d − 1 together are scaled to norm 1, so every vector
/// has norm √2.
/// </para>
/// <para>
/// Performance: ASCII text is classified 32 characters at a time with vector instructions into bitmasks of
/// word characters, letters and marker characters, and case-folded into a byte buffer; a word of up to eight
/// characters is then one masked 64-bit read and one multiply. Text with other characters takes a scalar path
/// with the same result, chunk by chunk (256 characters), so one such character slows only its chunk.
/// </para>
/// <para>
/// Thread safety: instances are immutable and can featurize concurrently. The work is synchronous and allocates
/// nothing when <c>messages</c> is an <see cref="IList{T}"/> (an array or list); other sequences allocate their
/// enumerator. A dimension above 527 rents its hashed slots from <see cref="System.Buffers.ArrayPool{T}.Shared"/>.
/// </para>
/// <para>
/// Compatibility: these features replace those of earlier versions (which hashed 16-bit code units with other
/// weights and mixes); a scorer trained or warm-started on the earlier features must be retrained. The
/// <see cref="FeatureSchema"/> names the version, and the bandit policy's snapshots record it, so a snapshot
/// learned from other features is refused rather than loaded.
/// </para>
/// </remarks>
public sealed class HashingPromptFeaturizer : IPromptFeaturizer
{
    /// <summary>The default <see cref="Dimension"/>.</summary>
    public const int DefaultDimension = 64;

    /// <summary>
    /// The version of the features this featurizer writes: it changes whenever any feature of any text changes, and a
    /// model trained on features of another version must be retrained. Version 2 is the vectorized scan; version 1
    /// was the character-at-a-time scan of earlier releases. The system passport records it.
    /// </summary>
    public const int FeatureVersion = 2;

    private const float MarkerValue = 0.5f;

    /// <summary>The most hashed slots kept on the stack; larger dimensions rent their slots from the shared pool.</summary>
    private const int MaxStackSlots = 512;
    private const string NullMessage = "The messages contain a null element.";

    /// <summary>Initializes a new instance of the <see cref="HashingPromptFeaturizer"/> class.</summary>
    /// <param name="dimension">The vector length; at least 16. The default is 64.</param>
    public HashingPromptFeaturizer(int dimension = DefaultDimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, FeatureLayout.MinimumDimension);
        Dimension = dimension;
    }

    /// <inheritdoc />
    /// <value>At least 16; 64 unless set in the constructor.</value>
    public int Dimension { get; }

    /// <inheritdoc />
    /// <value>"hashing", the <see cref="FeatureVersion"/> and the dimension, for example
    /// "hashing, features version 2, d = 64".</value>
    public string FeatureSchema => $"hashing, features version {FeatureVersion}, d = {Dimension}";

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have <see cref="Dimension"/> elements,
    /// or a message is null.</exception>
    public ValueTask FeaturizeAsync(
        IEnumerable<ChatMessage> messages,
        Memory<float> destination,
        CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        Featurize(messages, destination.Span);
        return default;
    }

    /// <summary>Writes the features of <paramref name="messages"/> into <paramref name="destination"/>, synchronously.</summary>
    /// <param name="messages">The request's messages.</param>
    /// <param name="destination">A span of exactly <see cref="Dimension"/> elements; every element is overwritten.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length, or a message is null.</exception>
    public void Featurize(IEnumerable<ChatMessage> messages, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (destination.Length != Dimension)
        {
            throw new ArgumentException(
                $"The destination has {destination.Length} elements; this featurizer writes {Dimension}.",
                nameof(destination));
        }

        // The hashed slots accumulate integer weights; small dimensions keep them on the stack.
        destination.Clear();
        int slotCount = Dimension - FeatureLayout.FirstHashed;
        long[]? rented = slotCount > MaxStackSlots ? ArrayPool<long>.Shared.Rent(slotCount) : null;
        Span<long> slots = rented is null ? stackalloc long[slotCount] : rented.AsSpan(0, slotCount);
        slots.Clear();
        Span<byte> folded = stackalloc byte[TextScanner.FoldedLength];
        Span<uint> masks = stackalloc uint[3 * TextScanner.MaskLength];
        Span<char> tail = stackalloc char[AsciiBlock.Length];
        Span<ulong> trigrams = stackalloc ulong[TextScanner.TrigramQueueLength];
        Span<char> word = stackalloc char[TextScanner.WordLength];
        var scanner = new TextScanner(slots, folded, masks, tail, trigrams, word);
        int userMessages = 0;
        bool systemPrompt = false;
        if (messages is IList<ChatMessage> list)
        {
            for (int i = 0; i < list.Count; i++)
            {
                ChatMessage message = list[i] ?? throw new ArgumentException(NullMessage, nameof(messages));
                ScanMessage(ref scanner, message, ref userMessages, ref systemPrompt);
            }
        }
        else
        {
            foreach (ChatMessage message in messages)
            {
                _ = message ?? throw new ArgumentException(NullMessage, nameof(messages));
                ScanMessage(ref scanner, message, ref userMessages, ref systemPrompt);
            }
        }

        scanner.EmitScriptHints();
        Span<float> hashed = destination.Slice(FeatureLayout.FirstHashed);
        for (int i = 0; i < hashed.Length; i++)
        {
            hashed[i] = slots[i];
        }

        if (rented is not null)
        {
            ArrayPool<long>.Shared.Return(rented);
        }

        Assemble(destination, in scanner, userMessages, systemPrompt);
    }

    private static void ScanMessage(
        ref TextScanner scanner,
        ChatMessage message,
        ref int userMessages,
        ref bool systemPrompt)
    {
        bool user = message.Role == ChatRole.User;
        userMessages += user ? 1 : 0;
        scanner.BeginMessage(user);
        IList<AIContent> contents = message.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            if (contents[i] is TextContent { Text: { Length: > 0 } text })
            {
                systemPrompt |= message.Role == ChatRole.System;
                scanner.Scan(text);
            }
        }
    }

    private static void Assemble(
        Span<float> destination,
        in TextScanner scanner,
        int userMessages,
        bool systemPrompt)
    {
        Span<float> hashed = destination.Slice(FeatureLayout.FirstHashed);
        float norm = TensorPrimitives.Norm(hashed);
        if (norm > 0)
        {
            TensorPrimitives.Multiply(hashed, 1f / norm, hashed);
        }

        destination[FeatureLayout.FirstLengthBucket + LengthBucket(scanner.Characters)] = MarkerValue;
        Flag(destination, FeatureLayout.Code, scanner.CodeFence || scanner.CodeKeywords >= 2 || scanner.CodePunctuation >= 4);
        Flag(destination, FeatureLayout.Math, scanner.MathHits >= 2);
        Flag(destination, FeatureLayout.MultipleChoice, scanner.ChoiceLines >= 2);
        Flag(destination, FeatureLayout.NonLatin, scanner.Letters > 0 && scanner.NonLatinLetters * 5 >= scanner.Letters);
        Flag(destination, FeatureLayout.Question, scanner.Question);
        Flag(destination, FeatureLayout.List, scanner.ListLines >= 2);
        Flag(destination, FeatureLayout.MultiTurn, userMessages > 1);
        Flag(destination, FeatureLayout.SystemPrompt, systemPrompt);

        // A length bucket is always set, so the norm is positive.
        Span<float> features = destination.Slice(1);
        TensorPrimitives.Multiply(features, 1f / TensorPrimitives.Norm(features), features);
        destination[FeatureLayout.Bias] = 1f;
    }

    private static void Flag(
        Span<float> destination,
        int slot,
        bool value)
    {
        if (value)
        {
            destination[slot] = MarkerValue;
        }
    }

    private static int LengthBucket(int characters) => characters switch
    {
        < 64 => 0,
        < 256 => 1,
        < 1024 => 2,
        < 4096 => 3,
        < 16384 => 4,
        _ => 5,
    };
}

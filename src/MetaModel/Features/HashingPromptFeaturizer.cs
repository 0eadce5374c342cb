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
/// 15 to d − 1 hold hashed tokens. Each word (case-folded run of letters and digits, or a single ideographic or
/// Thai character) adds ±1 to one hashed slot for its unigram, ±0.7 for the bigram with the previous word, and
/// ±0.4 for each of its leading and trailing character trigrams when it has six or more characters; a token's
/// slot and sign come from a fixed 64-bit hash (four characters absorbed per multiply-xorshift, then a
/// family-salted mix; never <see cref="string.GetHashCode()"/>), so they are identical in
/// every process. Script hints (Cyrillic, Arabic, Han …) are hashed as tokens too.
/// </para>
/// <para>
/// User messages weigh 1 and other roles 0.5. The hashed block is scaled to norm 1, the length bucket and each
/// marker set to 0.5, and then slots 1 to d − 1 together are scaled to norm 1, so every vector has norm √2.
/// Only <see cref="TextContent"/> is read; other content is ignored.
/// </para>
/// <para>
/// Thread safety: instances are immutable and can featurize concurrently. The work is synchronous and allocates
/// nothing when <c>messages</c> is an <see cref="IList{T}"/> (an array or list); other sequences allocate their
/// enumerator.
/// </para>
/// </remarks>
public sealed class HashingPromptFeaturizer : IPromptFeaturizer
{
    /// <summary>The default <see cref="Dimension"/>.</summary>
    public const int DefaultDimension = 64;

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
        var scanner = new TextScanner(slots, folded, masks, tail, trigrams);
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

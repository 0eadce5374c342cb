using System.Text;
using MetaModel.Routing;
using Microsoft.Extensions.AI;

namespace MetaModel.Features;

/// <summary>
/// Appends the application's own label for a request (<see cref="MetaModelPropertyNames.Task"/>) to the features
/// of another featurizer, so that a learning policy can learn which candidate suits each kind of request.
/// </summary>
/// <remarks>
/// <para>
/// An application often knows what a request is for (the endpoint, the feature or the prompt template that made
/// it) better than any reading of the text can tell. With this featurizer, a linear quality model such as the
/// bandit's learns a separate baseline per label for every candidate, on top of what the text features predict;
/// a policy that always picks each label's best candidate is one of the models it can express.
/// </para>
/// <para>
/// Layout: the inner featurizer's d values, then <see cref="TaskSlots"/> slots. A label sets two of those slots,
/// chosen by a hash of its characters in Unicode normalization form C, to ±1/√2 with hashed signs, so a label's block
/// has norm 1 and two labels look alike only if both slots and both signs coincide. A request without a label leaves
/// the block zero. The hash is fixed (not <see cref="string.GetHashCode()"/>), so a label maps to the same slots in
/// every process, and a model learned in one process is valid in another.
/// </para>
/// <para>
/// Thread safety: instances are immutable. When the inner featurizer completes synchronously and allocation-free,
/// so does this one.
/// </para>
/// </remarks>
public sealed class TaskFeaturizer : IPromptFeaturizer
{
    /// <summary>The default <see cref="TaskSlots"/>.</summary>
    public const int DefaultTaskSlots = 32;

    /// <summary>The largest <see cref="TaskSlots"/>: labels are few, and every slot widens each candidate's model.</summary>
    public const int MaximumTaskSlots = 1024;

    private const float SlotValue = 0.70710678f;
    private const ulong FnvOffset = 0xCBF29CE484222325UL;
    private const ulong FnvPrime = 0x100000001B3UL;

    private readonly IPromptFeaturizer _inner;

    /// <summary>Initializes a new instance of the <see cref="TaskFeaturizer"/> class.</summary>
    /// <param name="inner">The featurizer of the messages.</param>
    /// <param name="taskSlots">The number of slots the label is hashed into; from 2 to 1,024. The default is 32.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="taskSlots"/> is less than 2 or more than 1,024.</exception>
    public TaskFeaturizer(IPromptFeaturizer inner, int taskSlots = DefaultTaskSlots)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(taskSlots, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(taskSlots, MaximumTaskSlots);
        _inner = inner;
        TaskSlots = taskSlots;
        Dimension = checked(inner.Dimension + taskSlots);
    }

    /// <inheritdoc />
    /// <value>The inner featurizer's dimension plus <see cref="TaskSlots"/>.</value>
    public int Dimension { get; }

    /// <summary>Gets the number of slots the label is hashed into.</summary>
    public int TaskSlots { get; }

    /// <summary>Gets the featurizer of the messages.</summary>
    public IPromptFeaturizer Inner => _inner;

    /// <inheritdoc />
    /// <value>The inner featurizer's schema, followed by the number of label slots.</value>
    public string FeatureSchema => $"{_inner.FeatureSchema}, plus the task label in {TaskSlots} slots";

    /// <inheritdoc />
    /// <remarks>Writes the features of a request without a label: the label block is zero.</remarks>
    public ValueTask FeaturizeAsync(
        IEnumerable<ChatMessage> messages,
        Memory<float> destination,
        CancellationToken cancellationToken = default) =>
        FeaturizeAsync(messages, task: null, destination, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have <see cref="Dimension"/>
    /// elements.</exception>
    public ValueTask FeaturizeAsync(
        IEnumerable<ChatMessage> messages,
        string? task,
        Memory<float> destination,
        CancellationToken cancellationToken = default)
    {
        if (destination.Length != Dimension)
        {
            throw new ArgumentException(
                $"The destination has {destination.Length} elements; this featurizer writes {Dimension}.",
                nameof(destination));
        }

        int inner = _inner.Dimension;
        ValueTask pending = _inner.FeaturizeAsync(messages, task, destination[..inner], cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return CompleteAsync(pending, task, destination);
        }

        pending.GetAwaiter().GetResult();
        WriteTask(task, destination.Span[inner..]);
        return default;
    }

    /// <summary>Writes the label block of <paramref name="task"/>: two hashed slots of ±1/√2, or zeros.</summary>
    /// <param name="task">The label, or <see langword="null"/> or empty for none.</param>
    /// <param name="block">The <see cref="TaskSlots"/> slots to write; every element is overwritten.</param>
    /// <exception cref="ArgumentException"><paramref name="block"/> does not have <see cref="TaskSlots"/> elements.</exception>
    public void WriteTask(string? task, Span<float> block)
    {
        if (block.Length != TaskSlots)
        {
            throw new ArgumentException($"The label block has {block.Length} elements; it must have {TaskSlots}.", nameof(block));
        }

        block.Clear();
        if (string.IsNullOrEmpty(task))
        {
            return;
        }

        ulong hash = FnvOffset;
        foreach (char c in Canonical(task))
        {
            hash = (hash ^ c) * FnvPrime;
        }

        // Finish with a multiply-xorshift so that the high and low halves both depend on every character.
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;

        int slots = TaskSlots;
        int first = (int)((uint)hash % (uint)slots);
        int second = (int)((uint)(hash >> 32) % (uint)(slots - 1));
        second += second >= first ? 1 : 0;
        block[first] = (hash & (1UL << 31)) == 0 ? SlotValue : -SlotValue;
        block[second] = (hash & (1UL << 63)) == 0 ? SlotValue : -SlotValue;
    }

    /// <summary>
    /// Returns <paramref name="task"/> in Unicode normalization form C, so that labels that read the same (a
    /// composed "é" and an "e" followed by a combining accent) are one label. Allocates only for a label that is
    /// not already in form C; text that is not valid Unicode (a lone surrogate) cannot be normalized and is
    /// returned as it is.
    /// </summary>
    private static string Canonical(string task)
    {
        try
        {
            return task.IsNormalized(NormalizationForm.FormC) ? task : task.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return task;
        }
    }

    private async ValueTask CompleteAsync(ValueTask pending, string? task, Memory<float> destination)
    {
        await pending.ConfigureAwait(false);
        WriteTask(task, destination.Span[_inner.Dimension..]);
    }
}

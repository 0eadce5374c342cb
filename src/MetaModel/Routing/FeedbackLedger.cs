using System.Buffers;
using System.Runtime.InteropServices;

namespace MetaModel.Routing;

/// <summary>Keeps the most recent answered decisions so that quality feedback arriving later can be matched.</summary>
/// <remarks>
/// <para>
/// Bounded: when more than the capacity are kept, the oldest are forgotten first. A response id that a provider
/// gave to several kept decisions (some reuse one id for every answer) names none of them: feedback by it would
/// otherwise land on whichever came last.
/// </para>
/// <para>
/// The decisions live in a ring of slots (plain values, with the features of every slot in one array) indexed by
/// two dictionaries, so keeping one allocates nothing once the ring has grown to the capacity. A decision id is kept
/// as the 128 bits it spells (<see cref="DecisionIds"/>), so only a provider's response id string outlives the
/// request. An object per decision, as concurrent collections allocate, lived long enough to be
/// promoted through every generation of the garbage collector and then swept from the oldest: at the default
/// capacity that collection work cost more per request than routing it. Every operation holds one lock for a
/// dictionary lookup and a copy of the features, far less than a call to a model takes.
/// </para>
/// </remarks>
internal sealed class FeedbackLedger
{
    /// <summary>The slots the ring starts with; it doubles up to the capacity as decisions arrive.</summary>
    private const int InitialSlots = 256;

    private static readonly SearchValues<char> s_lowerHexDigits = SearchValues.Create("0123456789abcdef");

    private readonly Lock _gate = new();
    private readonly int _capacity;
    private readonly Dictionary<Guid, int> _slotByDecision = [];
    private readonly Dictionary<string, ResponseLink> _linkByResponse = new(StringComparer.Ordinal);
    private Slot[] _slots = [];
    private float[] _features = [];
    private int _dimension = -1;
    private int _count;
    private int _next;

    /// <summary>Initializes a new instance of the <see cref="FeedbackLedger"/> class.</summary>
    /// <param name="capacity">The most decisions kept; 0 keeps none.</param>
    public FeedbackLedger(int capacity)
    {
        _capacity = capacity;
    }

    /// <summary>Keeps an answered decision, forgetting the oldest one when the ledger is full.</summary>
    /// <param name="decisionId">The decision id, as <see cref="DecisionIds"/> writes them.</param>
    /// <param name="responseId">The provider's response id, if it gave one.</param>
    /// <param name="candidateId">The candidate that answered.</param>
    /// <param name="features">The request's features, copied; every decision of one ledger has as many.</param>
    /// <param name="costUsd">What the answer cost.</param>
    /// <param name="latency">How long the answering attempt took.</param>
    public void Add(
        string decisionId,
        string? responseId,
        string candidateId,
        ReadOnlySpan<float> features,
        decimal costUsd,
        TimeSpan latency)
    {
        if (_capacity == 0)
        {
            return;
        }

        if (!TryParseDecisionId(decisionId, out Guid key))
        {
            throw new ArgumentException(
                $"'{decisionId}' is not a decision id: those are 32 lower-case hexadecimal digits.", nameof(decisionId));
        }

        lock (_gate)
        {
            if (_dimension < 0)
            {
                _dimension = features.Length;
            }
            else if (features.Length != _dimension)
            {
                throw new ArgumentException(
                    $"The ledger keeps {_dimension} features per decision; this decision has {features.Length}.",
                    nameof(features));
            }

            int index = NextSlot();
            ref Slot slot = ref _slots[index];
            slot = new Slot(key, responseId, candidateId, costUsd, latency);
            features.CopyTo(_features.AsSpan(index * _dimension, _dimension));
            _slotByDecision[key] = index;

            // An empty response id names nothing: feedback cannot be given by it.
            if (!string.IsNullOrEmpty(responseId))
            {
                ref ResponseLink link = ref CollectionsMarshal.GetValueRefOrAddDefault(
                    _linkByResponse, responseId, out bool exists);
                link = !exists
                    ? new ResponseLink(index, 1)
                    : new ResponseLink(
                        link.Slot >= 0 && _slots[link.Slot].Decision == key
                            ? index
                            : ResponseLink.Ambiguous,
                        link.Count + 1);
            }
        }
    }

    /// <summary>
    /// Finds a kept decision by its decision id or response id and claims it for feedback: only the first claim of a
    /// decision may teach the policy.
    /// </summary>
    /// <param name="decisionOrResponseId">The decision id or the response id.</param>
    /// <param name="claim">Receives the decision, with a copy of its features.</param>
    /// <returns><see langword="true"/> if the decision is kept.</returns>
    public bool TryClaim(string decisionOrResponseId, out Claim claim)
    {
        lock (_gate)
        {
            if (!(TryParseDecisionId(decisionOrResponseId, out Guid key) && _slotByDecision.TryGetValue(key, out int index)) &&
                !(_linkByResponse.TryGetValue(decisionOrResponseId, out ResponseLink link) && (index = link.Slot) >= 0))
            {
                claim = default;
                return false;
            }

            ref Slot slot = ref _slots[index];
            bool first = !slot.Applied;
            slot.Applied = true;
            float[] features = first ? _features.AsSpan(index * _dimension, _dimension).ToArray() : [];
            claim = new Claim(slot.Decision.ToString("N"), slot.CandidateId, features, slot.CostUsd, slot.Latency, first);
            return true;
        }
    }

    /// <summary>
    /// Gives back the first claim of a decision whose feedback could not be recorded, so that the next feedback for
    /// it may teach the policy; a decision forgotten meanwhile is left alone.
    /// </summary>
    /// <param name="decisionId">The decision id of the claim.</param>
    public void Unclaim(string decisionId)
    {
        lock (_gate)
        {
            if (TryParseDecisionId(decisionId, out Guid key) && _slotByDecision.TryGetValue(key, out int index))
            {
                _slots[index].Applied = false;
            }
        }
    }

    /// <summary>Gets a value indicating whether <paramref name="responseId"/> was given to several kept decisions.</summary>
    /// <param name="responseId">The response id.</param>
    public bool IsAmbiguous(string responseId)
    {
        lock (_gate)
        {
            return _linkByResponse.TryGetValue(responseId, out ResponseLink link) && link.Slot == ResponseLink.Ambiguous;
        }
    }

    /// <summary>Returns the slot for a new decision, growing the ring or forgetting the oldest decision.</summary>
    private int NextSlot()
    {
        if (_count < _capacity)
        {
            if (_count == _slots.Length)
            {
                // The features first: should growing fail, a longer features array than the slots need is harmless,
                // while slots without room for their features would fail every later decision.
                int length = (int)Math.Min(_capacity, Math.Max(InitialSlots, 2L * _slots.Length));
                Array.Resize(ref _features, checked(length * _dimension));
                Array.Resize(ref _slots, length);
            }

            return _count++;
        }

        // Full: the slot after the newest holds the oldest.
        int index = _next;
        _next = index + 1 == _capacity ? 0 : index + 1;
        Forget(index);
        return index;
    }

    private void Forget(int index)
    {
        ref Slot oldest = ref _slots[index];

        // The decision id names a later slot only when the same decision was kept twice; put that one back.
        if (_slotByDecision.Remove(oldest.Decision, out int current) && current != index)
        {
            _slotByDecision[oldest.Decision] = current;
        }

        if (oldest.ResponseId is { Length: > 0 } responseId &&
            _linkByResponse.TryGetValue(responseId, out ResponseLink link))
        {
            if (link.Count <= 1)
            {
                _ = _linkByResponse.Remove(responseId);
            }
            else
            {
                _linkByResponse[responseId] = link with { Count = link.Count - 1 };
            }
        }

        oldest = default;
    }

    /// <summary>Reads a decision id: exactly the text <see cref="DecisionIds"/> writes, and nothing else.</summary>
    private static bool TryParseDecisionId(string id, out Guid key)
    {
        key = default;
        return id.Length == 32 && !id.AsSpan().ContainsAnyExcept(s_lowerHexDigits) && Guid.TryParseExact(id, "N", out key);
    }

    /// <summary>A kept decision claimed for feedback.</summary>
    /// <param name="DecisionId">The decision id.</param>
    /// <param name="CandidateId">The candidate that answered.</param>
    /// <param name="Features">The request's features; empty unless <paramref name="First"/>.</param>
    /// <param name="CostUsd">What the answer cost.</param>
    /// <param name="Latency">How long the answering attempt took.</param>
    /// <param name="First">Whether this is the decision's first claim, the one that may teach the policy.</param>
    internal readonly record struct Claim(
        string DecisionId,
        string CandidateId,
        float[] Features,
        decimal CostUsd,
        TimeSpan Latency,
        bool First);

    /// <summary>Which kept decision a response id names, and how many kept decisions were given it.</summary>
    /// <param name="Slot">The slot of the decision, or <see cref="Ambiguous"/> when several decisions were given it.</param>
    /// <param name="Count">The kept decisions given the id.</param>
    private readonly record struct ResponseLink(int Slot, int Count)
    {
        public const int Ambiguous = -1;
    }

    private record struct Slot(Guid Decision, string? ResponseId, string CandidateId, decimal CostUsd, TimeSpan Latency)
    {
        public bool Applied { get; set; }
    }
}

using System.Collections.ObjectModel;
using System.Numerics.Tensors;

namespace MetaModel.Scoring;

/// <summary>
/// A disjoint linear contextual bandit (LinUCB, or linear Thompson sampling) over a fixed set of arms, with
/// allocation-free, lock-free decisions and O(d²) rank-one updates.
/// </summary>
/// <remarks>
/// <para>
/// Each arm k keeps Aₖ = λ₀I + Σ xxᵀ, bₖ = Σ r·x, Aₖ⁻¹ and θₖ = Aₖ⁻¹bₖ over the observations it
/// received, and scores a context x as θₖ·x + α·√(xᵀAₖ⁻¹x) (see <see cref="ExplorationStrategy"/>).
/// Updates maintain Aₖ⁻¹ by the Sherman–Morrison identity, so no matrix is inverted on the hot path.
/// Symmetric matrices are stored as their packed upper triangle, padded to whole vectors per row (see
/// <see cref="BlockedSymmetric"/>), and a decision computes each arm's quadratic form in one pass over its
/// inverse.
/// </para>
/// <para>
/// Thread safety: every member may be called concurrently. Decisions take no lock and always read a state that
/// some sequence of complete updates produced; updates of one arm are serialized, and updates of different
/// arms run in parallel. Decisions and updates allocate nothing once the calling thread has warmed up.
/// </para>
/// <para>
/// Forgetting: with γ &lt; 1 the prior λ₀I decays along with the data. When an arm's remaining prior falls
/// below λ₀/1024 the update restores it to λ₀ and recomputes Aₖ⁻¹ from Aₖ in double precision (an O(d³)
/// step about every ln(1024)/(1 − γ) updates of that arm), which bounds the variance of directions the arm has
/// not seen recently at 1024/λ₀.
/// </para>
/// <para>
/// Numerics: state is single precision. Inputs must be finite and within ±<see cref="MaximumMagnitude"/> (larger
/// values would overflow it); methods throw <see cref="ArgumentException"/> for other features and rewards and
/// leave the state unchanged. A computed variance below zero (from rounding) is treated as zero.
/// </para>
/// </remarks>
public sealed partial class ContextualBanditScorer
{
    /// <summary>The longest <see cref="ContextualBanditOptions.FeatureSchema"/>, in characters.</summary>
    public const int MaximumFeatureSchemaLength = 4096;

    private readonly ArmState[] _arms;
    private readonly Dictionary<string, int> _indexById;
    private readonly RandomProjection? _projection;
    private readonly float _exploration;
    private readonly float _gamma;
    private readonly double _ridgePrior;
    private readonly ulong _seed;
    private long _decisions;

    /// <summary>Odd while a load, merge or warm start publishes its arms; decisions that overlap one retry.</summary>
    private int _generation;

    /// <summary>Initializes a new instance of the <see cref="ContextualBanditScorer"/> class.</summary>
    /// <param name="armIds">The distinct, non-empty ids of the arms, in index order.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An id is null, empty or repeated, there are no arms, or an option is out of
    /// range.</exception>
    public ContextualBanditScorer(IEnumerable<string> armIds, ContextualBanditOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(armIds);
        options ??= new ContextualBanditOptions();
        ValidateOptions(options);

        var ids = new List<string>();
        _indexById = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string id in armIds)
        {
            if (string.IsNullOrEmpty(id))
            {
                throw new ArgumentException("Arm ids must be non-empty strings.", nameof(armIds));
            }

            if (!_indexById.TryAdd(id, ids.Count))
            {
                throw new ArgumentException($"The arm id '{id}' appears more than once.", nameof(armIds));
            }

            ids.Add(id);
        }

        if (ids.Count == 0)
        {
            throw new ArgumentException("At least one arm is required.", nameof(armIds));
        }

        Dimension = options.Dimension;
        ModelDimension = options.ReducedDimension > 0 ? options.ReducedDimension : options.Dimension;
        Strategy = options.Strategy;
        ProjectionSeed = options.ProjectionSeed;
        FeatureSchema = options.FeatureSchema;
        _exploration = (float)options.Exploration;
        ForgettingFactor = options.ForgettingFactor;
        _gamma = (float)options.ForgettingFactor;
        _ridgePrior = options.RidgePrior;
        _seed = (ulong)(options.Seed ?? Random.Shared.NextInt64());
        if (options.ReducedDimension > 0)
        {
            _projection = new RandomProjection(Dimension, ModelDimension, options.ProjectionSeed);
        }

        ArmIds = new ReadOnlyCollection<string>(ids);
        _arms = new ArmState[ids.Count];
        for (int i = 0; i < _arms.Length; i++)
        {
            _arms[i] = new ArmState(ids[i], ModelDimension, _ridgePrior);
        }
    }

    /// <summary>Gets the length d of the feature vectors this scorer accepts.</summary>
    public int Dimension { get; }

    /// <summary>Gets the dimension the arms model: the reduced dimension d′ when set, otherwise d.</summary>
    public int ModelDimension { get; }

    /// <summary>Gets the number of arms K.</summary>
    public int ArmCount => _arms.Length;

    /// <summary>Gets the arm ids; an arm's index is its position in this list.</summary>
    public IReadOnlyList<string> ArmIds { get; }

    /// <summary>Gets the strategy <see cref="Score(ReadOnlySpan{float}, ReadOnlySpan{int}, Span{float})"/> applies.</summary>
    public ExplorationStrategy Strategy { get; }

    /// <summary>Gets the seed of the reduced mode's random projection.</summary>
    public long ProjectionSeed { get; }

    /// <summary>Gets the description of the features this scorer learns from, which its snapshots record.</summary>
    /// <value><see langword="null"/> when not known; see <see cref="ContextualBanditOptions.FeatureSchema"/>.</value>
    public string? FeatureSchema { get; }

    /// <summary>Gets the ridge prior λ₀.</summary>
    public double RidgePrior => _ridgePrior;

    /// <summary>Gets the forgetting factor γ (applied in single precision).</summary>
    public double ForgettingFactor { get; }

    /// <summary>Gets the index of the arm named <paramref name="armId"/>.</summary>
    /// <exception cref="ArgumentException">No arm has that id.</exception>
    public int GetArmIndex(string armId)
    {
        ArgumentNullException.ThrowIfNull(armId);
        if (!_indexById.TryGetValue(armId, out int index))
        {
            throw new ArgumentException($"Unknown arm id '{armId}'; this scorer has {_arms.Length} arms.", nameof(armId));
        }

        return index;
    }

    /// <summary>Tries to get the index of the arm named <paramref name="armId"/>.</summary>
    public bool TryGetArmIndex(string armId, out int index)
    {
        ArgumentNullException.ThrowIfNull(armId);
        return _indexById.TryGetValue(armId, out index);
    }

    /// <summary>Gets how many updates arm <paramref name="arm"/> has received (including warm start and merges).</summary>
    public long GetUpdateCount(int arm)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(arm);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(arm, _arms.Length);
        return _arms[arm].Updates;
    }

    /// <summary>Scores every arm: <paramref name="scores"/>[k] is the score of arm k.</summary>
    /// <param name="features">The context x, of length <see cref="Dimension"/>, all finite.</param>
    /// <param name="scores">Receives <see cref="ArmCount"/> scores; longer spans keep their remaining elements.</param>
    /// <remarks>Same computation as the overload with an arm subset; see there.</remarks>
    public void Score(ReadOnlySpan<float> features, Span<float> scores)
    {
        ValidateFeatures(features, nameof(features));
        ValidateDestination(scores, _arms.Length, nameof(scores));
        Evaluate(features, default, allArms: true, scores, default);
    }

    /// <summary>Scores the eligible arms: <paramref name="scores"/>[i] is the score of arm <paramref name="arms"/>[i].</summary>
    /// <param name="features">The context x, of length <see cref="Dimension"/>, all finite.</param>
    /// <param name="arms">The indexes of the eligible arms; may repeat, may be empty (then nothing is written).</param>
    /// <param name="scores">Receives one score per entry of <paramref name="arms"/>.</param>
    /// <remarks>
    /// Computes θₖ·x + α·√(xᵀAₖ⁻¹x) for <see cref="ExplorationStrategy.UpperConfidenceBound"/>, and
    /// θₖ·x + α·√(xᵀAₖ⁻¹x)·zₖ with one fresh standard normal zₖ per arm for
    /// <see cref="ExplorationStrategy.ThompsonSampling"/>. In reduced mode x is first projected to d′ values.
    /// Lock-free and allocation-free.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The features have the wrong length or a non-finite value, an index is out of range, or
    /// <paramref name="scores"/> is too short.
    /// </exception>
    public void Score(
        ReadOnlySpan<float> features,
        ReadOnlySpan<int> arms,
        Span<float> scores)
    {
        ValidateFeatures(features, nameof(features));
        ValidateArms(arms);
        ValidateDestination(scores, arms.Length, nameof(scores));
        Evaluate(features, arms, allArms: false, scores, default);
    }

    /// <summary>
    /// Writes each eligible arm's estimate θₖ·x into <paramref name="means"/> and its uncertainty √(xᵀAₖ⁻¹x) into
    /// <paramref name="widths"/>, without exploration.
    /// </summary>
    /// <remarks>
    /// Lets a caller record why a decision was made, or apply its own exploration rule. Lock-free and
    /// allocation-free; the same validation as <see cref="Score(ReadOnlySpan{float}, ReadOnlySpan{int}, Span{float})"/>.
    /// </remarks>
    public void Estimate(
        ReadOnlySpan<float> features,
        ReadOnlySpan<int> arms,
        Span<float> means,
        Span<float> widths)
    {
        ValidateFeatures(features, nameof(features));
        ValidateArms(arms);
        ValidateDestination(means, arms.Length, nameof(means));
        ValidateDestination(widths, arms.Length, nameof(widths));
        Evaluate(features, arms, allArms: false, means, widths);
    }

    /// <summary>Writes every arm's estimate θₖ·x for <paramref name="features"/> into <paramref name="means"/>.</summary>
    /// <param name="features">The context x, of length <see cref="Dimension"/>, all finite.</param>
    /// <param name="means">Receives <see cref="ArmCount"/> means.</param>
    internal delegate void MeanEstimator(ReadOnlySpan<float> features, Span<float> means);

    /// <summary>
    /// Waits until no load, merge or warm start is publishing, and returns the generation that a matching
    /// <see cref="EndConsistentRead"/> checks.
    /// </summary>
    /// <remarks>
    /// A caller that reads state of its own next to the arms' (a policy's cost statistics, which a warm start
    /// changes in the same publication) reads both between the two calls, and starts again when
    /// <see cref="EndConsistentRead"/> returns <see langword="false"/>: it then saw everything from one side of
    /// every publication.
    /// </remarks>
    internal int BeginConsistentRead()
    {
        var spinner = default(SpinWait);
        while (true)
        {
            int generation = Volatile.Read(ref _generation);
            if ((generation & 1) == 0)
            {
                return generation;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Returns whether no publication began since <see cref="BeginConsistentRead"/> returned
    /// <paramref name="generation"/>, so that everything read in between belongs together.</summary>
    internal bool EndConsistentRead(int generation)
    {
        Interlocked.MemoryBarrier();
        return Volatile.Read(ref _generation) == generation;
    }

    /// <summary>Writes every arm's estimate θₖ·x into <paramref name="means"/>, without the uncertainty.</summary>
    /// <remarks>
    /// For offline work over many prompts (such as calibrating a cost weight on a history), where the widths of
    /// <see cref="Estimate"/> would cost O(d²) per arm and go unused. Lock-free and allocation-free.
    /// </remarks>
    internal void EstimateMeans(ReadOnlySpan<float> features, Span<float> means)
    {
        ValidateFeatures(features, nameof(features));
        ValidateDestination(means, _arms.Length, nameof(means));
        int m = ModelDimension;
        ReadOnlySpan<float> model = Project(features, ScratchBuffers.Vectors(m));
        var spinner = default(SpinWait);
        while (true)
        {
            int generation = Volatile.Read(ref _generation);
            if ((generation & 1) == 0)
            {
                for (int k = 0; k < _arms.Length; k++)
                {
                    means[k] = _arms[k].EvaluateMean(model);
                }

                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _generation) == generation)
                {
                    return;
                }
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private void Evaluate(
        ReadOnlySpan<float> features,
        ReadOnlySpan<int> arms,
        bool allArms,
        Span<float> first,
        Span<float> widths)
    {
        int m = ModelDimension;
        int padded = BlockedSymmetric.PaddedDimension(m);
        int count = allArms ? _arms.Length : arms.Length;

        // Project once for all arms in reduced mode, and pad x with zeros to whole blocks for the kernels; x comes
        // first in the scratch, so it starts on a cache line.
        Span<float> vectors = ScratchBuffers.Vectors(padded + m);
        Span<float> x = vectors.Slice(0, padded);
        ReadOnlySpan<float> model = Project(features, vectors.Slice(padded, m));
        model.CopyTo(x);
        x.Slice(m).Clear();

        bool estimateOnly = !widths.IsEmpty;
        bool thompson = !estimateOnly && Strategy == ExplorationStrategy.ThompsonSampling;
        ulong drawKey = thompson ? DrawKey(Interlocked.Increment(ref _decisions)) : 0;

        // A load, merge or warm start changes all arms at once: a decision reads every arm from the same side of it.
        var spinner = default(SpinWait);
        while (true)
        {
            int generation = Volatile.Read(ref _generation);
            if ((generation & 1) == 0)
            {
                for (int i = 0; i < count; i++)
                {
                    int k = allArms ? i : arms[i];
                    _arms[k].Evaluate(x, out float mean, out float variance);
                    float width = MathF.Sqrt(MathF.Max(variance, 0f));
                    if (estimateOnly)
                    {
                        first[i] = mean;
                        widths[i] = width;
                    }
                    else if (thompson)
                    {
                        first[i] = mean + (_exploration * width * Draw(drawKey, k));
                    }
                    else
                    {
                        first[i] = mean + (_exploration * width);
                    }
                }

                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _generation) == generation)
                {
                    return;
                }
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private ulong DrawKey(long decision) => SplitMix64.Mix(_seed + ((ulong)decision * 0x9E3779B97F4A7C15UL));

    private static float Draw(ulong key, int arm)
    {
        // Counter-based: the draw is a pure function of (seed, decision number, arm index), so concurrent
        // decisions need no shared generator and a seeded single-threaded run is reproducible.
        ulong first = SplitMix64.Mix(key ^ ((ulong)(arm + 1) * 0xD1B54A32D192ED03UL));
        ulong second = SplitMix64.Mix(first + 0x9E3779B97F4A7C15UL);
        return SplitMix64.StandardNormalSingle(first, second);
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Numerics.Tensors;

namespace MetaModel.Scoring;

/// <summary>The live statistics of one arm, published to lock-free readers through a sequence lock.</summary>
/// <remarks>
/// Writers take <see cref="Gate"/>, so updates of one arm are serialized. While a writer changes the arrays,
/// <c>_version</c> is odd; it becomes even again when the change is complete. A reader records an even version,
/// reads, and accepts what it read only if the version is unchanged afterwards, so it never uses a half-applied
/// update and never blocks a writer. The writer keeps its odd window short: everything that can be computed
/// from the old state (u = A⁻¹x, the prediction error, a re-anchored inverse) is computed before it opens, and so
/// is the update of A, which readers never read. A and A⁻¹ live in the blocked layout of
/// <see cref="BlockedSymmetric"/>; <see cref="CaptureLocked"/> and <see cref="PublishLocked"/> convert to and from
/// the canonical packed triangle that snapshots, merges and warm starts use.
/// </remarks>
internal sealed class ArmState
{
    /// <summary>
    /// The fraction of the ridge prior below which a decayed prior is restored: with γ &lt; 1 the prior mass
    /// shrinks by γ per update, and without a floor the variance of directions that the arm never sees would
    /// grow as γ⁻ⁿ until it overflows.
    /// </summary>
    internal const double ReanchorFraction = 1.0 / 1024;

    // A⁻¹, A, θ and b in one pinned array, each from a cache-line boundary (see AlignedFloats).
    private readonly float[] _storage;
    private readonly int _inverseStart;
    private readonly int _gramStart;
    private readonly int _thetaStart;
    private readonly int _rewardsStart;
    private readonly int _matrixLength;
    private readonly int _dimension;
    private readonly int _padded;
    private int _version;
    private long _updates;
    private double _priorMass;

    public ArmState(
        string id,
        int dimension,
        double ridgePrior)
    {
        Id = id;
        _dimension = dimension;
        _padded = BlockedSymmetric.PaddedDimension(dimension);
        _matrixLength = BlockedSymmetric.Length(dimension);
        int matrixSpan = AlignedFloats.RoundUp(_matrixLength);
        int vectorSpan = AlignedFloats.RoundUp(dimension);
        _storage = AlignedFloats.Allocate(checked((2 * matrixSpan) + (2 * vectorSpan)), out _inverseStart);
        _gramStart = _inverseStart + matrixSpan;
        _thetaStart = _gramStart + matrixSpan;
        _rewardsStart = _thetaStart + vectorSpan;
        _priorMass = ridgePrior;
        BlockedSymmetric.SetScaledIdentity(Gram, dimension, (float)ridgePrior);
        BlockedSymmetric.SetScaledIdentity(Inverse, dimension, (float)(1.0 / ridgePrior));
    }

    /// <summary>Gets the arm's id.</summary>
    public string Id { get; }

    /// <summary>Gets the lock that serializes writers of this arm.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Gets the number of updates applied so far.</summary>
    public long Updates => Volatile.Read(ref _updates);

    /// <summary>Gets d rounded up to a whole block: the length of the padded vectors the kernels use.</summary>
    public int PaddedDimension => _padded;

    /// <summary>Gets A⁻¹, blocked.</summary>
    private Span<float> Inverse => _storage.AsSpan(_inverseStart, _matrixLength);

    /// <summary>Gets A, blocked.</summary>
    private Span<float> Gram => _storage.AsSpan(_gramStart, _matrixLength);

    /// <summary>Gets θ.</summary>
    private Span<float> Theta => _storage.AsSpan(_thetaStart, _dimension);

    /// <summary>Gets b, the discounted sum of reward-weighted contexts.</summary>
    private Span<float> Rewards => _storage.AsSpan(_rewardsStart, _dimension);

    /// <summary>
    /// Reads a consistent state and computes mean = θ·x and variance = xᵀA⁻¹x, the latter with
    /// <see cref="PackedKernels.QuadraticForm"/>.
    /// </summary>
    /// <param name="x">The context, zero-padded to <see cref="PaddedDimension"/>.</param>
    /// <param name="mean">Receives θ·x.</param>
    /// <param name="variance">Receives xᵀA⁻¹x.</param>
    /// <remarks>Lock-free: retries while a writer is active or when one completed during the read.</remarks>
    public void Evaluate(
        ReadOnlySpan<float> x,
        out float mean,
        out float variance)
    {
        Debug.Assert(x.Length == _padded);
        ReadOnlySpan<float> features = x.Slice(0, _dimension);
        var spinner = default(SpinWait);
        while (true)
        {
            int before = Volatile.Read(ref _version);
            if ((before & 1) == 0)
            {
                mean = PackedKernels.Dot(Theta, features);
                variance = PackedKernels.QuadraticForm(Inverse, x, _dimension);

                // The full fence keeps the reads above from moving past the second version read.
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _version) == before)
                {
                    return;
                }
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Reads a consistent state and returns θ·x, without the variance.</summary>
    /// <param name="features">The context, of length d (no padding needed).</param>
    /// <remarks>Lock-free, like <see cref="Evaluate"/>; O(d) instead of O(d²).</remarks>
    public float EvaluateMean(ReadOnlySpan<float> features)
    {
        Debug.Assert(features.Length == _dimension);
        var spinner = default(SpinWait);
        while (true)
        {
            int before = Volatile.Read(ref _version);
            if ((before & 1) == 0)
            {
                float mean = PackedKernels.Dot(Theta, features);
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _version) == before)
                {
                    return mean;
                }
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Applies one observation (x, r) with forgetting factor γ.</summary>
    /// <remarks>
    /// With P = A⁻¹, u = Px, s = xᵀu and c = γ + s, the discounted Sherman–Morrison identity gives
    /// (γA + xxᵀ)⁻¹ = (P − uuᵀ/c)/γ, and with b′ = γb + r·x the new estimate is θ′ = θ + u·(r − θ·x)/c,
    /// so no inverse is formed and θ costs O(d). The scratch holds the zero-padded x and u, 2·<see cref="PaddedDimension"/>
    /// floats. The Gram matrix is updated in the same pass that computes u and before the odd window opens:
    /// lock-free readers never read it, and every reader of it holds <see cref="Gate"/>.
    /// </remarks>
    public void Update(
        ReadOnlySpan<float> x,
        float reward,
        float gamma,
        double ridgePrior,
        Span<float> scratch)
    {
        Debug.Assert(x.Length == _dimension && scratch.Length == 2 * _padded);
        Span<float> padded = scratch.Slice(0, _padded);
        Span<float> u = scratch.Slice(_padded, _padded);
        x.CopyTo(padded);
        padded.Slice(_dimension).Clear();
        lock (Gate)
        {
            PackedKernels.MultiplyVectorUpdateGram(Inverse, Gram, padded, u, gamma, _dimension);

            // In exact arithmetic s ≥ 0 because A⁻¹ is positive definite; rounding may not keep that.
            float s = MathF.Max(PackedKernels.Dot(padded, u), 0f);
            float c = gamma + s;
            float error = reward - PackedKernels.Dot(Theta, x);

            BeginWrite();
            PackedKernels.AddScaledOuterProduct(Inverse, u, -1f / c, 1f / gamma, _dimension);
            if (gamma != 1f)
            {
                TensorPrimitives.Multiply(Rewards, gamma, Rewards);
            }

            TensorPrimitives.MultiplyAdd(x, reward, Rewards, Rewards);
            TensorPrimitives.MultiplyAdd(u.Slice(0, _dimension), error / c, Theta, Theta);
            _priorMass *= gamma;
            Volatile.Write(ref _updates, _updates + 1);
            EndWrite();

            if (_priorMass < ridgePrior * ReanchorFraction)
            {
                Reanchor(ridgePrior);
            }
        }
    }

    /// <summary>Copies the state into <paramref name="destination"/>; the caller holds <see cref="Gate"/>.</summary>
    public void CaptureLocked(ArmData destination)
    {
        Debug.Assert(Gate.IsHeldByCurrentThread);
        BlockedSymmetric.ToPacked(Gram, destination.Gram, _dimension);
        BlockedSymmetric.ToPacked(Inverse, destination.Inverse, _dimension);
        Rewards.CopyTo(destination.Rewards);
        Theta.CopyTo(destination.Theta);
        destination.Updates = _updates;
        destination.PriorMass = _priorMass;
    }

    /// <summary>Replaces the state with <paramref name="source"/>; the caller holds <see cref="Gate"/>.</summary>
    public void PublishLocked(ArmData source)
    {
        Debug.Assert(Gate.IsHeldByCurrentThread);

        // The conversion runs before the odd window, which then only copies; only lock holders read A.
        BlockedSymmetric.FromPacked(source.Gram, Gram, _dimension);
        float[] inverse = ArrayPool<float>.Shared.Rent(_matrixLength);
        try
        {
            Span<float> blocked = inverse.AsSpan(0, _matrixLength);
            BlockedSymmetric.FromPacked(source.Inverse, blocked, _dimension);
            BeginWrite();
            blocked.CopyTo(Inverse);
            source.Rewards.CopyTo(Rewards);
            source.Theta.CopyTo(Theta);
            _priorMass = source.PriorMass;
            Volatile.Write(ref _updates, source.Updates);
            EndWrite();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(inverse);
        }
    }

    private void Reanchor(double ridgePrior)
    {
        // Restore the prior to λ₀ and refresh the inverse from A in double precision, which also clears the
        // rounding that rank-one updates of the inverse accumulate. The inversion works on the canonical packed
        // layout; all of the work happens outside the odd window, which only copies the results in.
        // One rented array holds all four buffers: the pool keeps one array per size on each thread, and a second
        // array of the same size would come from a per-core stack, which a thread that moved cores can find empty.
        int length = PackedSymmetric.Length(_dimension);
        float[] rented = ArrayPool<float>.Shared.Rent((2 * length) + _matrixLength + _dimension);
        try
        {
            Span<float> packedGram = rented.AsSpan(0, length);
            BlockedSymmetric.ToPacked(Gram, packedGram, _dimension);
            float add = (float)(ridgePrior - _priorMass);
            for (int i = 0; i < _dimension; i++)
            {
                packedGram[PackedSymmetric.RowOffset(_dimension, i)] += add;
            }

            Span<float> newInverse = rented.AsSpan(length, length);
            Span<float> newTheta = rented.AsSpan(2 * length, _dimension);
            Span<float> blockedInverse = rented.AsSpan((2 * length) + _dimension, _matrixLength);
            if (!SymmetricInverse.TryInvertPacked(packedGram, newInverse, _dimension))
            {
                // A plus a positive prior is positive definite; failing here means the state is already
                // non-finite, and keeping the rank-one result is the least surprising outcome.
                return;
            }

            SymmetricInverse.MultiplyVectorPrecise(newInverse, Rewards, newTheta);
            BlockedSymmetric.FromPacked(newInverse, blockedInverse, _dimension);

            // Only the lock's holders read A, so it changes outside the odd window.
            BlockedSymmetric.AddToDiagonal(Gram, _dimension, add);
            BeginWrite();
            blockedInverse.CopyTo(Inverse);
            newTheta.CopyTo(Theta);
            _priorMass = ridgePrior;
            EndWrite();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private void BeginWrite()
    {
        // The interlocked increment is a full fence: the odd version is visible before any array write.
        Interlocked.Increment(ref _version);
    }

    private void EndWrite()
    {
        // The release write makes every array write visible before the even version.
        Volatile.Write(ref _version, _version + 1);
    }
}

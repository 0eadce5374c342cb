using System.Diagnostics;
using System.Numerics.Tensors;

namespace MetaModel.Scoring;

/// <summary>A seeded Gaussian random projection from <c>InputDimension</c> to <c>OutputDimension</c> values.</summary>
/// <remarks>
/// Computes y = Rx where every entry of the OutputDimension×InputDimension matrix R is an independent
/// N(0, 1/OutputDimension) draw, so that E‖Rx‖² = ‖x‖² and inner products are preserved in expectation
/// (Johnson–Lindenstrauss). The matrix is a pure function of the seed and the two dimensions, on every platform.
/// Instances are immutable and thread-safe.
/// </remarks>
internal sealed class RandomProjection
{
    private readonly float[] _matrix;

    public RandomProjection(int inputDimension, int outputDimension, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputDimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputDimension);

        InputDimension = inputDimension;
        OutputDimension = outputDimension;
        Seed = seed;
        _matrix = new float[checked(inputDimension * outputDimension)];

        // Mixing the dimensions into the seed gives unrelated matrices for different shapes.
        var random = new SplitMix64(SplitMix64.Mix((ulong)seed ^ ((ulong)inputDimension << 32) ^ (ulong)outputDimension));
        double scale = 1.0 / Math.Sqrt(outputDimension);
        for (int i = 0; i < _matrix.Length; i++)
        {
            _matrix[i] = (float)(random.NextStandardNormal() * scale);
        }
    }

    public int InputDimension { get; }

    public int OutputDimension { get; }

    public long Seed { get; }

    /// <summary>Gets row <paramref name="row"/> of R, for tests.</summary>
    internal ReadOnlySpan<float> Row(int row) => _matrix.AsSpan(row * InputDimension, InputDimension);

    /// <summary>Writes y = Rx into <paramref name="destination"/>.</summary>
    public void Project(ReadOnlySpan<float> source, Span<float> destination)
    {
        Debug.Assert(source.Length == InputDimension);
        Debug.Assert(destination.Length == OutputDimension);
        for (int i = 0; i < OutputDimension; i++)
        {
            destination[i] = TensorPrimitives.Dot(_matrix.AsSpan(i * InputDimension, InputDimension), source);
        }
    }
}

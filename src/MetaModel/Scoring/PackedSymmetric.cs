using System.Diagnostics;
using System.Numerics.Tensors;

namespace MetaModel.Scoring;

/// <summary>Kernels over a symmetric d×d matrix stored as its packed upper triangle.</summary>
/// <remarks>
/// Row i of the packed layout holds the elements (i, i), (i, i + 1) … (i, d − 1), so row i is a contiguous
/// span of d − i elements that starts at <see cref="RowOffset"/>. Storing one triangle halves both the
/// memory a decision streams through and the multiply-adds it performs.
/// </remarks>
internal static class PackedSymmetric
{
    /// <summary>Returns d(d + 1)/2, the number of elements of a packed d×d matrix.</summary>
    public static int Length(int dimension) => checked(dimension * (dimension + 1) / 2);

    /// <summary>Returns the offset of row <paramref name="row"/> in a packed matrix of size
    /// <paramref name="dimension"/>.</summary>
    public static int RowOffset(int dimension, int row) => (row * ((2 * dimension) - row + 1)) / 2;

    /// <summary>Writes the packed identity matrix scaled by <paramref name="value"/>.</summary>
    public static void SetScaledIdentity(
        Span<float> packed,
        int dimension,
        float value)
    {
        Debug.Assert(packed.Length == Length(dimension));
        packed.Clear();
        for (int i = 0; i < dimension; i++)
        {
            packed[RowOffset(dimension, i)] = value;
        }
    }

    /// <summary>
    /// Writes the packed weights w such that Dot(P, w) = xᵀPx for any packed symmetric P:
    /// w(i, i) = xᵢ² and w(i, j) = 2xᵢxⱼ for j &gt; i.
    /// </summary>
    /// <remarks>
    /// The weights depend only on x, so a decision builds them once and then needs a single dot product per arm
    /// for the quadratic form. An empty x writes nothing.
    /// </remarks>
    public static void BuildQuadraticWeights(ReadOnlySpan<float> x, Span<float> weights)
    {
        int d = x.Length;
        Debug.Assert(weights.Length == Length(d));
        int offset = 0;
        for (int i = 0; i < d; i++)
        {
            int rowLength = d - i;
            Span<float> row = weights.Slice(offset, rowLength);
            float xi = x[i];
            TensorPrimitives.Multiply(x.Slice(i), 2f * xi, row);
            row[0] = xi * xi;
            offset += rowLength;
        }
    }

    /// <summary>Computes y = Px for a packed symmetric P; y is overwritten.</summary>
    public static void MultiplyVector(
        ReadOnlySpan<float> packed,
        ReadOnlySpan<float> x,
        Span<float> y)
    {
        int d = x.Length;
        Debug.Assert(packed.Length == Length(d));
        Debug.Assert(y.Length == d);
        y.Clear();
        int offset = 0;
        for (int i = 0; i < d; i++)
        {
            int rowLength = d - i;
            ReadOnlySpan<float> row = packed.Slice(offset, rowLength);

            // The stored row i gives the upper part of row i, and by symmetry the lower part of column i.
            y[i] += TensorPrimitives.Dot(row, x.Slice(i));
            if (rowLength > 1)
            {
                Span<float> tail = y.Slice(i + 1);
                TensorPrimitives.MultiplyAdd(row.Slice(1), x[i], tail, tail);
            }

            offset += rowLength;
        }
    }

    /// <summary>Computes P ← P + c·uuᵀ in place for a packed symmetric P.</summary>
    public static void AddScaledOuterProduct(
        Span<float> packed,
        ReadOnlySpan<float> u,
        float c)
    {
        int d = u.Length;
        Debug.Assert(packed.Length == Length(d));
        int offset = 0;
        for (int i = 0; i < d; i++)
        {
            int rowLength = d - i;
            Span<float> row = packed.Slice(offset, rowLength);
            TensorPrimitives.MultiplyAdd(u.Slice(i), c * u[i], row, row);
            offset += rowLength;
        }
    }

    /// <summary>Copies the packed upper triangle into a full row-major d×d matrix of doubles.</summary>
    public static void Unpack(
        ReadOnlySpan<float> packed,
        Span<double> full,
        int dimension)
    {
        Debug.Assert(full.Length == dimension * dimension);
        int offset = 0;
        for (int i = 0; i < dimension; i++)
        {
            for (int j = i; j < dimension; j++)
            {
                double value = packed[offset + j - i];
                full[(i * dimension) + j] = value;
                full[(j * dimension) + i] = value;
            }

            offset += dimension - i;
        }
    }

    /// <summary>Writes the upper triangle of a full row-major d×d matrix of doubles in packed float form.</summary>
    public static void Pack(
        ReadOnlySpan<double> full,
        Span<float> packed,
        int dimension)
    {
        Debug.Assert(full.Length == dimension * dimension);
        int offset = 0;
        for (int i = 0; i < dimension; i++)
        {
            for (int j = i; j < dimension; j++)
            {
                // Averaging the two mirror elements keeps the stored matrix exactly symmetric.
                packed[offset + j - i] = (float)(0.5 * (full[(i * dimension) + j] + full[(j * dimension) + i]));
            }

            offset += dimension - i;
        }
    }
}

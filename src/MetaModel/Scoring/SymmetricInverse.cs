using System.Buffers;
using System.Numerics.Tensors;

namespace MetaModel.Scoring;

/// <summary>Inverts symmetric positive-definite matrices off the hot path, in double precision.</summary>
internal static class SymmetricInverse
{
    /// <summary>
    /// Inverts a full row-major n×n symmetric positive-definite matrix in place by Gauss–Jordan elimination.
    /// </summary>
    /// <returns>
    /// <see langword="false"/> when a pivot is not a positive finite number, which means the matrix is not
    /// positive definite (or is too ill-conditioned to invert); the matrix content is then unspecified.
    /// </returns>
    /// <remarks>
    /// Positive-definite matrices need no pivoting, so rows are eliminated in order. Each elimination step is a
    /// row-wide multiply-add, which TensorPrimitives vectorizes.
    /// </remarks>
    public static bool TryInvertInPlace(Span<double> matrix, int n)
    {
        for (int k = 0; k < n; k++)
        {
            Span<double> pivotRow = matrix.Slice(k * n, n);
            double pivot = pivotRow[k];
            if (!(pivot > 0) || !double.IsFinite(pivot))
            {
                return false;
            }

            pivotRow[k] = 1;
            TensorPrimitives.Multiply(pivotRow, 1 / pivot, pivotRow);

            for (int i = 0; i < n; i++)
            {
                if (i == k)
                {
                    continue;
                }

                Span<double> row = matrix.Slice(i * n, n);
                double factor = row[k];
                if (factor != 0)
                {
                    row[k] = 0;
                    TensorPrimitives.MultiplyAdd(pivotRow, -factor, row, row);
                }
            }
        }

        return TensorPrimitives.IsFiniteAll<double>(matrix.Slice(0, n * n));
    }

    /// <summary>
    /// Writes the inverse of the packed symmetric <paramref name="packedMatrix"/> into
    /// <paramref name="packedInverse"/>, computing in double precision.
    /// </summary>
    /// <returns><see langword="false"/> when the matrix is not positive definite; the destination is then untouched.</returns>
    public static bool TryInvertPacked(ReadOnlySpan<float> packedMatrix, Span<float> packedInverse, int dimension)
    {
        int square = dimension * dimension;
        double[] rented = ArrayPool<double>.Shared.Rent(Math.Max(square, 1));
        try
        {
            Span<double> full = rented.AsSpan(0, square);
            PackedSymmetric.Unpack(packedMatrix, full, dimension);
            if (!TryInvertInPlace(full, dimension))
            {
                return false;
            }

            PackedSymmetric.Pack(full, packedInverse, dimension);
            return true;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>Computes y = Px in double precision for a packed symmetric P, writing float results.</summary>
    public static void MultiplyVectorPrecise(ReadOnlySpan<float> packed, ReadOnlySpan<float> x, Span<float> y)
    {
        int d = x.Length;
        Span<double> sums = d <= 512 ? stackalloc double[d] : new double[d];
        sums.Clear();
        int offset = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double pij = packed[offset + j - i];
                sums[i] += pij * x[j];
                if (j != i)
                {
                    sums[j] += pij * x[i];
                }
            }

            offset += d - i;
        }

        for (int i = 0; i < d; i++)
        {
            y[i] = (float)sums[i];
        }
    }
}

using System.Diagnostics;

namespace MetaModel.Scoring;

/// <summary>
/// The internal layout of an arm's symmetric matrices: the packed upper triangle with every row padded to whole
/// blocks of <see cref="Block"/> floats and stored in 8×8 tiles, so that the kernels in <see cref="PackedKernels"/>
/// never run a scalar tail and read memory in one sequential stream.
/// </summary>
/// <remarks>
/// <para>
/// Rows are grouped in blocks of <see cref="Block"/>. Row i stores the columns from the start of its block,
/// b = i − (i mod <see cref="Block"/>), up to the padded dimension p = <see cref="PaddedDimension"/>, so a block of
/// rows is a (<see cref="Block"/>) × (p − b) rectangle. The rectangle is stored as consecutive 8×8 tiles, left to
/// right, each tile row by row: the kernels walk a block tile by tile, and each tile's eight rows share one column
/// vector of x or u. The first tile of a block is the diagonal block; it holds the full symmetric values,
/// including those below the diagonal (which the packed triangle stores only once), so that a kernel can treat it
/// like any other tile. Columns d … p − 1 and rows d … p − 1 are zero and stay zero, because every kernel multiplies
/// them by zero-padded vectors.
/// </para>
/// <para>
/// In the canonical packed layout (<see cref="PackedSymmetric"/>) a row of length d − i ends in a partial vector
/// that was handled element by element: 3.5 elements on average for each of the 64 rows at d = 64, in each of the
/// three passes of an update. Walking row by row, the kernels also kept a running slice of y in memory. The
/// padding costs 11% more memory at d = 64 and 2% at d = 384. Snapshots, merges, warm starts and re-anchoring keep
/// the canonical layout; <see cref="FromPacked"/> and <see cref="ToPacked"/> convert at those boundaries.
/// </para>
/// </remarks>
internal static class BlockedSymmetric
{
    /// <summary>The number of floats in a block: the width of a 256-bit vector.</summary>
    public const int Block = 8;

    /// <summary>Returns d rounded up to a multiple of <see cref="Block"/>.</summary>
    public static int PaddedDimension(int dimension) => checked(dimension + Block - 1) & ~(Block - 1);

    /// <summary>Returns the number of floats of a blocked d×d matrix.</summary>
    public static int Length(int dimension) => BlockOffset(dimension, PaddedDimension(dimension) / Block);

    /// <summary>Returns the first stored column of row <paramref name="row"/>: the start of its block.</summary>
    public static int RowStart(int row) => row & ~(Block - 1);

    /// <summary>Returns the offset of block <paramref name="block"/> (rows 8·block … 8·block + 7).</summary>
    public static int BlockOffset(int dimension, int block)
    {
        // Each earlier block b′ holds Block rows of length padded − Block·b′.
        int padded = PaddedDimension(dimension);
        return checked((Block * block * padded) - (Block * Block * block * (block - 1) / 2));
    }

    /// <summary>Returns the index of element (i, j) in a blocked matrix; requires j ≥ <see cref="RowStart"/>(i).</summary>
    public static int Index(int dimension, int i, int j)
    {
        int start = RowStart(i);
        Debug.Assert(j >= start && j < PaddedDimension(dimension) && i < PaddedDimension(dimension));
        int column = j - start;
        int tile = column / Block;
        return BlockOffset(dimension, i / Block) + (tile * Block * Block) + ((i - start) * Block) + (column - (tile * Block));
    }

    /// <summary>Writes the blocked identity matrix scaled by <paramref name="value"/>.</summary>
    public static void SetScaledIdentity(
        Span<float> blocked,
        int dimension,
        float value)
    {
        Debug.Assert(blocked.Length == Length(dimension));
        blocked.Clear();
        for (int i = 0; i < dimension; i++)
        {
            blocked[Index(dimension, i, i)] = value;
        }
    }

    /// <summary>Adds <paramref name="value"/> to every diagonal element of a blocked matrix.</summary>
    public static void AddToDiagonal(
        Span<float> blocked,
        int dimension,
        float value)
    {
        Debug.Assert(blocked.Length == Length(dimension));
        for (int i = 0; i < dimension; i++)
        {
            blocked[Index(dimension, i, i)] += value;
        }
    }

    /// <summary>Converts a packed upper triangle into the blocked layout, zeroing the padding.</summary>
    public static void FromPacked(
        ReadOnlySpan<float> packed,
        Span<float> blocked,
        int dimension)
    {
        Debug.Assert(packed.Length == PackedSymmetric.Length(dimension) && blocked.Length == Length(dimension));
        blocked.Clear();
        int offset = 0;
        for (int i = 0; i < dimension; i++)
        {
            int start = RowStart(i);
            for (int j = i; j < dimension; j++)
            {
                float value = packed[offset + j - i];
                blocked[Index(dimension, i, j)] = value;
                if (j < start + Block)
                {
                    // The mirror image inside the diagonal block: row j shares row i's block.
                    blocked[Index(dimension, j, i)] = value;
                }
            }

            offset += dimension - i;
        }
    }

    /// <summary>Converts a blocked matrix into its packed upper triangle.</summary>
    public static void ToPacked(
        ReadOnlySpan<float> blocked,
        Span<float> packed,
        int dimension)
    {
        Debug.Assert(packed.Length == PackedSymmetric.Length(dimension) && blocked.Length == Length(dimension));
        int offset = 0;
        for (int i = 0; i < dimension; i++)
        {
            for (int j = i; j < dimension; j++)
            {
                packed[offset + j - i] = blocked[Index(dimension, i, j)];
            }

            offset += dimension - i;
        }
    }
}

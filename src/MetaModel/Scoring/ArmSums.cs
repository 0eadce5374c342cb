using System.Diagnostics;
using System.Numerics.Tensors;

namespace MetaModel.Scoring;

/// <summary>One arm's Aₖ and bₖ accumulated in double precision for a warm start, then converted once.</summary>
/// <remarks>
/// A warm start adds every observation of the history to the same sums. In single precision a sum stops growing
/// once it is 2²⁴ times the term added to it: past about 16.8 million identical rows, A and b would keep their
/// value while the update count went on rising. In double precision that takes 2⁵³ rows, and the sums are rounded
/// to the arm's single-precision state only once, at the end.
/// </remarks>
internal sealed class ArmSums
{
    private readonly double[] _gram;
    private readonly double[] _rewards;
    private readonly double[] _x;

    /// <summary>Initializes a new instance of the <see cref="ArmSums"/> class from an arm's current state.</summary>
    /// <param name="start">The state the observations are added to.</param>
    public ArmSums(ArmData start)
    {
        Dimension = start.Dimension;
        _gram = new double[start.Gram.Length];
        _rewards = new double[Dimension];
        _x = new double[Dimension];
        TensorPrimitives.ConvertChecked<float, double>(start.Gram, _gram);
        TensorPrimitives.ConvertChecked<float, double>(start.Rewards, _rewards);
        PriorMass = start.PriorMass;
        Updates = start.Updates;
    }

    /// <summary>Gets the dimension of the arm's model.</summary>
    public int Dimension { get; }

    /// <summary>Gets the prior mass p that remains on the diagonal of Aₖ.</summary>
    public double PriorMass { get; private set; }

    /// <summary>Gets the number of observations in the sums, those of the starting state included.</summary>
    public long Updates { get; private set; }

    /// <summary>Multiplies Aₖ, bₖ and the prior mass by the forgetting factor γ.</summary>
    public void Discount(double gamma)
    {
        TensorPrimitives.Multiply(_gram, gamma, _gram);
        TensorPrimitives.Multiply(_rewards, gamma, _rewards);
        PriorMass *= gamma;
    }

    /// <summary>Adds one observation, Aₖ ← Aₖ + xxᵀ and bₖ ← bₖ + r·x, in double precision.</summary>
    /// <param name="x">The modelled context, of length <see cref="Dimension"/>.</param>
    /// <param name="reward">The reward r.</param>
    public void Add(ReadOnlySpan<float> x, double reward)
    {
        Debug.Assert(x.Length == Dimension);
        Span<double> wide = _x;
        TensorPrimitives.ConvertChecked<float, double>(x, wide);

        int offset = 0;
        for (int i = 0; i < Dimension; i++)
        {
            int rowLength = Dimension - i;
            Span<double> row = _gram.AsSpan(offset, rowLength);
            TensorPrimitives.MultiplyAdd(wide.Slice(i), wide[i], row, row);
            offset += rowLength;
        }

        TensorPrimitives.MultiplyAdd(wide, reward, _rewards, _rewards);
        Updates++;
    }

    /// <summary>Adds <paramref name="amount"/> to the diagonal of Aₖ and to the recorded prior mass.</summary>
    public void AddToPrior(double amount)
    {
        for (int i = 0; i < Dimension; i++)
        {
            _gram[PackedSymmetric.RowOffset(Dimension, i)] += amount;
        }

        PriorMass += amount;
    }

    /// <summary>Rounds the sums to a single-precision state, whose inverse and θₖ the caller computes.</summary>
    public ArmData ToArmData()
    {
        var data = new ArmData(Dimension) { PriorMass = PriorMass, Updates = Updates };
        for (int i = 0; i < _gram.Length; i++)
        {
            data.Gram[i] = (float)_gram[i];
        }

        for (int i = 0; i < _rewards.Length; i++)
        {
            data.Rewards[i] = (float)_rewards[i];
        }

        return data;
    }
}

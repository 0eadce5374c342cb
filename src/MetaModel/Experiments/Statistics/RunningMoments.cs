namespace MetaModel.Experiments.Statistics;

/// <summary>Count, mean and sample variance of a stream of numbers, updated one value at a time (Welford).</summary>
/// <remarks>Numerically stable: the squared deviations are accumulated about the running mean, not about zero.</remarks>
internal struct RunningMoments
{
    private double _sumOfSquares;

    /// <summary>Gets the number of values added.</summary>
    public long Count { get; private set; }

    /// <summary>Gets the mean; NaN when empty.</summary>
    public readonly double Mean => Count == 0 ? double.NaN : MeanValue;

    /// <summary>Gets the sample variance (divisor n − 1); NaN with fewer than two values.</summary>
    public readonly double Variance => Count < 2 ? double.NaN : _sumOfSquares / (Count - 1);

    private double MeanValue { get; set; }

    /// <summary>Adds a value.</summary>
    public void Add(double value)
    {
        Count++;
        double delta = value - MeanValue;
        MeanValue += delta / Count;
        _sumOfSquares += delta * (value - MeanValue);
    }
}

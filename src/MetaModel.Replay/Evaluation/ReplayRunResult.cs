namespace MetaModel.Replay;

/// <summary>What a policy (or a single model) earned over a replayed dataset.</summary>
public sealed class ReplayRunResult
{
    internal ReplayRunResult(
        string label,
        int requests,
        int failures,
        double scoreSum,
        decimal totalCostUsd,
        int estimatedCosts,
        IReadOnlyDictionary<string, int> choices,
        IReadOnlyList<ReplayCurvePoint> curve,
        TimeSpan elapsed)
    {
        Label = label;
        Requests = requests;
        Failures = failures;
        ScoreSum = scoreSum;
        TotalCostUsd = totalCostUsd;
        EstimatedCosts = estimatedCosts;
        Choices = choices;
        Curve = curve;
        Elapsed = elapsed;
    }

    /// <summary>Gets the run's label (a policy name, or a model id for a single-model run).</summary>
    public string Label { get; }

    /// <summary>Gets the number of requests replayed.</summary>
    public int Requests { get; }

    /// <summary>Gets the number of requests that ended with an error; they score 0 and cost nothing.</summary>
    public int Failures { get; }

    /// <summary>Gets the sum of the recorded scores of the chosen answers; a missing score counts as 0.</summary>
    public double ScoreSum { get; }

    /// <summary>Gets the mean recorded score (accuracy) over all requests.</summary>
    public double Accuracy => Requests == 0 ? 0 : ScoreSum / Requests;

    /// <summary>Gets the total cost of the chosen answers, in US dollars.</summary>
    public decimal TotalCostUsd { get; }

    /// <summary>Gets the cost per 1,000 requests, in US dollars.</summary>
    public decimal CostPerThousandUsd => Requests == 0 ? 0 : TotalCostUsd * 1000 / Requests;

    /// <summary>Gets how many of the costs were estimated rather than recorded.</summary>
    public int EstimatedCosts { get; }

    /// <summary>Gets how often each model answered.</summary>
    public IReadOnlyDictionary<string, int> Choices { get; }

    /// <summary>Gets the cumulative accuracy and cost as requests went by.</summary>
    public IReadOnlyList<ReplayCurvePoint> Curve { get; }

    /// <summary>Gets the wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; }
}

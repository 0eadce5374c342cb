namespace MetaModel.Scoring;

/// <summary>Options for a <see cref="CostAwareReward"/>.</summary>
public sealed class CostAwareRewardOptions
{
    /// <summary>Gets or sets the cost weight λ (reward given up per unit of cost), or its starting value when pacing.</summary>
    /// <value>A finite non-negative number. The default is 0.</value>
    public double CostWeight { get; set; }

    /// <summary>Gets or sets the latency weight μ (reward given up per second of latency).</summary>
    /// <value>A finite non-negative number. The default is 0.</value>
    public double LatencyWeight { get; set; }

    /// <summary>Gets or sets the mean cost per request that budget pacing steers towards, or null to keep λ fixed.</summary>
    /// <value>A finite positive number, or <see langword="null"/>. The default is <see langword="null"/>.</value>
    public double? TargetCostPerRequest { get; set; }

    /// <summary>Gets or sets the pacing step size η, a dimensionless number.</summary>
    /// <value>A finite positive number. The default is 0.05.</value>
    /// <remarks>
    /// Each observed cost c moves λ by η·(c − target)/target², that is, the relative overspend in units of the
    /// natural scale 1/target. Larger steps react faster and oscillate more.
    /// </remarks>
    public double PacingStepSize { get; set; } = 0.05;
}

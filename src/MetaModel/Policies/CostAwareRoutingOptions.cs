namespace MetaModel.Policies;

/// <summary>Settings of the <see cref="CostAwareRoutingPolicy"/>.</summary>
public sealed class CostAwareRoutingOptions
{
    /// <summary>Gets or sets how much cost counts against quality.</summary>
    /// <value>
    /// The weight λ of the candidate's cost relative to the dearest eligible candidate, subtracted from its expected
    /// quality: 0 ignores cost, 1 trades the whole quality range against the whole cost range. The default is 0.3.
    /// </value>
    public double CostWeight { get; set; } = 0.3;

    /// <summary>Gets or sets the strength of the optimism bonus that makes the policy try little-known candidates.</summary>
    /// <value>The factor β of √(ln N / n); the default is 0.3.</value>
    public double Exploration { get; set; } = 0.3;

    /// <summary>Gets or sets the number of prompt clusters that quality is learned for.</summary>
    /// <value>The default is 8.</value>
    public int Clusters { get; set; } = 8;

    /// <summary>Gets or sets the quality assumed for a candidate before any feedback.</summary>
    /// <value>The default is 0.5.</value>
    public double PriorQuality { get; set; } = 0.5;

    /// <summary>Gets or sets how many observations the prior quality is worth.</summary>
    /// <value>The default is 1.</value>
    public double PriorStrength { get; set; } = 1;

    /// <summary>Gets or sets the completion length assumed to estimate a cost before any is observed.</summary>
    /// <value>The default is 256 tokens.</value>
    public int AssumedOutputTokens { get; set; } = 256;

    /// <summary>Checks the settings and lists every problem.</summary>
    /// <returns>The problems; empty when the settings are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!double.IsFinite(CostWeight) || CostWeight < 0)
        {
            problems.Add($"CostWeight must be finite and zero or more (was {CostWeight}).");
        }

        if (!double.IsFinite(Exploration) || Exploration < 0)
        {
            problems.Add($"Exploration must be finite and zero or more (was {Exploration}).");
        }

        if (Clusters is < 1 or > 1024)
        {
            problems.Add($"Clusters must be between 1 and 1024 (was {Clusters}).");
        }

        if (!double.IsFinite(PriorQuality) || PriorQuality is < 0 or > 1)
        {
            problems.Add($"PriorQuality must be between 0 and 1 (was {PriorQuality}).");
        }

        if (!double.IsFinite(PriorStrength) || PriorStrength <= 0)
        {
            problems.Add($"PriorStrength must be positive (was {PriorStrength}).");
        }

        if (AssumedOutputTokens < 0)
        {
            problems.Add($"AssumedOutputTokens must be zero or more (was {AssumedOutputTokens}).");
        }

        return problems;
    }
}

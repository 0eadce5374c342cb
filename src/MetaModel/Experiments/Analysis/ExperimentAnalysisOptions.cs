namespace MetaModel.Experiments.Analysis;

/// <summary>Settings of an experiment analysis.</summary>
public sealed class ExperimentAnalysisOptions
{
    /// <summary>Gets or sets the significance level: the tolerated chance of calling a difference that is not there.</summary>
    /// <value>The default is 0.05. Confidence intervals are at 1 − alpha.</value>
    public double Alpha { get; set; } = 0.05;

    /// <summary>Gets or sets the arm the others are compared with.</summary>
    /// <value>The experiment's first arm, or (without the experiment) the arm whose name sorts first ordinally.</value>
    public string? ControlArm { get; set; }

    /// <summary>Gets or sets the quality samples per arm that the fixed-horizon plan calls for.</summary>
    /// <value>
    /// <see langword="null"/> (the default) for no fixed horizon: every verdict then comes from the always-valid
    /// sequential test. When set (at least 2), once both compared arms have this many quality scores the verdict is Welch's
    /// t-test at <see cref="Alpha"/>; before, the always-valid test decides. <see cref="ExperimentPlan"/> computes it.
    /// </value>
    public int? PlannedSamplesPerArm { get; set; }

    /// <summary>Gets or sets τ, the spread of the effects the sequential test is tuned to detect, in quality units.</summary>
    /// <value>
    /// The default is 0.1 (a tenth of the quality scale). The test is valid for any positive, finite τ; it is most
    /// powerful for differences of about τ.
    /// </value>
    public double MixtureScale { get; set; } = 0.1;

    /// <summary>Gets or sets how many quality scores each arm needs before the sequential test looks at the data.</summary>
    /// <value>
    /// The default is 30, at least 2: variances estimated from fewer values are too noisy for the test's normal
    /// approximation.
    /// </value>
    public int SequentialBurnIn { get; set; } = 30;
}

namespace MetaModel.Replay;

/// <summary>Settings of one <see cref="ReplayRunner"/> run.</summary>
public sealed class ReplayRunOptions
{
    /// <summary>Gets or sets the candidate every request pins, to measure one model alone.</summary>
    /// <value>The model id, or <see langword="null"/> (the default) to let the policy choose.</value>
    public string? PinnedModel { get; set; }

    /// <summary>Gets or sets whether the chosen model's recorded score is sent back as quality feedback.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool SendFeedback { get; set; } = true;

    /// <summary>Gets or sets whether requests are streamed.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Streaming { get; set; }

    /// <summary>
    /// Gets or sets a step run after the metamodel is built and before the first request, such as a warm start.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Func<MetaModelChatClient, CancellationToken, ValueTask>? Prepare { get; set; }

    /// <summary>Gets or sets how many requests pass between two points of the learning curve.</summary>
    /// <value>The default is 100; 0 records no curve.</value>
    public int CurveInterval { get; set; } = 100;

    /// <summary>Gets or sets whether each request names its prompt's sample id as the user key.</summary>
    /// <value>
    /// The default is <see langword="false"/>. Set it for experiments: assignment to an arm is then sticky per
    /// prompt and the same in every run.
    /// </value>
    public bool SampleIdAsUserKey { get; set; }
}

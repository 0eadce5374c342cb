namespace MetaModel.DependencyInjection;

/// <summary>A candidate as written in configuration: its settings, and the key of its chat client in the container.</summary>
public sealed class CandidateConfiguration : CandidateSettings
{
    /// <summary>Gets or sets the candidate's stable id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets or sets the service key of the keyed <c>IChatClient</c> that serves the candidate.</summary>
    /// <value>The default is the candidate's <see cref="Id"/>.</value>
    public string? ClientKey { get; set; }
}

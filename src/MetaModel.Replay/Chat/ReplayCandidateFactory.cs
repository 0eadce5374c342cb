namespace MetaModel.Replay;

/// <summary>Creates the replay candidates of a dataset: one <see cref="ReplayChatClient"/> per model.</summary>
public static class ReplayCandidateFactory
{
    /// <summary>Creates one client per model of <paramref name="dataset"/>, in the order of
    /// <see cref="ReplayDataset.Models"/>.</summary>
    /// <param name="dataset">The recorded prompts and outcomes.</param>
    /// <param name="timeProvider">The source of response timestamps; <see cref="TimeProvider.System"/> when
    /// omitted.</param>
    /// <returns>A new list of clients, one per model.</returns>
    public static IReadOnlyList<ReplayChatClient> CreateClients(
        ReplayDataset dataset,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);

        return [.. dataset.Models.Select(model => new ReplayChatClient(dataset, model.Id, timeProvider))];
    }
}

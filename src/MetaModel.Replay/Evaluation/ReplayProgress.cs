namespace MetaModel.Replay;

/// <summary>How far a replay run has got.</summary>
/// <param name="Label">The run's label.</param>
/// <param name="Completed">Requests done so far.</param>
/// <param name="Total">Requests in the run.</param>
public readonly record struct ReplayProgress(string Label, int Completed, int Total);

namespace MetaModel.Experiments;

/// <summary>The arm of an experiment that one request was assigned to.</summary>
/// <param name="ExperimentId">The experiment.</param>
/// <param name="Arm">The arm's name.</param>
/// <param name="Bucket">The request's position in [0, 1) on the experiment's split, from the hashed unit key.</param>
/// <param name="Applied">
/// Whether the arm's treatment was applied; <see langword="false"/> when a candidate arm's candidate was not
/// eligible for the request, so the control policy served it. Analysis counts the request in its arm either way
/// (intention to treat).
/// </param>
public sealed record ExperimentAssignment(string ExperimentId, string Arm, double Bucket, bool Applied);

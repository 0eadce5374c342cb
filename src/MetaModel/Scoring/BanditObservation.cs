namespace MetaModel.Scoring;

/// <summary>One historical observation for warm-starting a <see cref="ContextualBanditScorer"/>.</summary>
/// <param name="Features">The feature vector the decision was made on; its length is the scorer's dimension.</param>
/// <param name="ArmId">The id of the arm that was chosen.</param>
/// <param name="Reward">The reward that the chosen arm earned; a finite number.</param>
public readonly record struct BanditObservation(ReadOnlyMemory<float> Features, string ArmId, double Reward);

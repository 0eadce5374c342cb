using MetaModel.Candidates;

namespace MetaModel.Compliance.Energy;

/// <summary>Default energy profiles by model size, derived from public estimates; see docs/energy.md for the method.</summary>
/// <remarks>
/// <para>
/// The profiles scale one published estimate, about 0.3 Wh for a GPT-4o query of about 500 output tokens on H100
/// servers (Epoch AI, 2025), by the number of active parameters, and set prompt tokens at one fifth of the energy of
/// completion tokens. They count the servers only, not data-centre overhead, idle capacity or the network; a
/// provider's own measurement with a wider boundary can be about twice as high. Treat them as within a factor of
/// 2 to 3 of the truth, and replace them with a provider's figures when it publishes any.
/// </para>
/// <para>Assign one to <see cref="DependencyInjection.CandidateSettings.Energy"/>, or make your own
/// <see cref="EnergyProfile"/>.</para>
/// </remarks>
public static class EnergyProfiles
{
    private const string Method = "MetaModel default, scaled from Epoch AI (2025) by active parameters; see docs/energy.md";

    /// <summary>Gets the profile of a small model, up to about 10 billion active parameters.</summary>
    public static EnergyProfile Small { get; } = new(0.01, 0.05, "small model (about 8B active parameters); " + Method);

    /// <summary>Gets the profile of a medium model, about 70 billion active parameters.</summary>
    public static EnergyProfile Medium { get; } = new(0.08, 0.42, "medium model (about 70B active parameters); " + Method);

    /// <summary>Gets the profile of a large frontier model, about 100 billion active parameters or more.</summary>
    public static EnergyProfile Large { get; } = new(0.12, 0.6, "large model (about 100B active parameters); " + Method);

    /// <summary>Gets a default profile by name: <c>small</c>, <c>medium</c> or <c>large</c>, ignoring case.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The profile, or <see langword="null"/> for an unknown name.</returns>
    public static EnergyProfile? FromName(string? name) => name?.ToUpperInvariant() switch
    {
        "SMALL" => Small,
        "MEDIUM" => Medium,
        "LARGE" => Large,
        _ => null,
    };
}

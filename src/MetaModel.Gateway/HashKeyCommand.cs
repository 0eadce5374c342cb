namespace MetaModel.Gateway;

/// <summary>
/// The <c>hash-key</c> command: prints the stored form of an API key, hashed with the configured pepper.
/// </summary>
/// <remarks>
/// The pepper must pass the same check as at the gateway's start (<see cref="GatewayOptions.CheckPepper"/>), so a
/// hash is never printed for a pepper the gateway would refuse.
/// </remarks>
internal static class HashKeyCommand
{
    /// <summary>The command's name, the first command-line argument.</summary>
    public const string Name = "hash-key";

    /// <summary>Hashes <paramref name="apiKey"/> with the pepper of <paramref name="configuration"/>.</summary>
    /// <param name="configuration">The settings; the pepper is <c>Gateway:ApiKeyPepper</c>.</param>
    /// <param name="apiKey">The key as clients will send it.</param>
    /// <param name="output">Receives the hash.</param>
    /// <param name="error">Receives the problem when the pepper is missing or too short.</param>
    /// <returns>The exit code: 0 when the hash was printed, 1 when the pepper is invalid.</returns>
    public static int Run(IConfiguration configuration, string apiKey, TextWriter output, TextWriter error)
    {
        string? pepper = configuration[$"{GatewayOptions.SectionName}:{nameof(GatewayOptions.ApiKeyPepper)}"];
        if (GatewayOptions.CheckPepper(pepper) is { } problem)
        {
            error.WriteLine(problem);
            return 1;
        }

        output.WriteLine(ApiKeyHasher.Hash(pepper!, apiKey));
        return 0;
    }
}

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

    /// <summary>The exit code of a command line without the key.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Hashes <paramref name="apiKey"/> with the pepper of <paramref name="configuration"/>.</summary>
    /// <param name="configuration">The settings; the pepper is <c>Gateway:ApiKeyPepper</c>.</param>
    /// <param name="apiKey">The key as clients will send it; <see langword="null"/> when none was given.</param>
    /// <param name="output">Receives the hash.</param>
    /// <param name="error">Receives the problem when the key is missing, or the pepper missing or too short.</param>
    /// <returns>
    /// The exit code: 0 when the hash was printed, 1 when the pepper is invalid, 2 (a usage error, as the
    /// <c>metamodel</c> command's) when no key was given.
    /// </returns>
    public static int Run(IConfiguration configuration, string? apiKey, TextWriter output, TextWriter error)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            error.WriteLine($"{Name}: the API key to hash is missing. Usage: {Name} sk-the-key");
            return UsageExitCode;
        }

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

using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Passport;
using MetaModel.Compliance.Storage;
using MetaModel.DependencyInjection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MetaModel.Cli;

/// <summary>
/// <c>metamodel passport</c>: prints the latest passport recorded in a log, or describes the metamodel that a
/// configuration file would build.
/// </summary>
internal static class PassportCommand
{
    public static async Task<int> RunAsync(
        CliArguments args,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        args.RejectUnknown([.. StoreOpener.Options, "stream", "format", "config", "section", "declaration-section"]);
        string format = args.Get("format") ?? "markdown";
        if (format is not ("markdown" or "json"))
        {
            throw new CliUsageException($"--format takes markdown or json, not '{format}'.");
        }

        SystemPassport? passport = args.Get("config") is { } config
            ? FromConfiguration(config, args.Get("section") ?? "MetaModel", args.Get("declaration-section") ?? "Declaration")
            : await FromLogAsync(args, cancellationToken).ConfigureAwait(false);
        if (passport is null)
        {
            await error.WriteLineAsync("The log holds no passport: it is written when a metamodel with this recorder is built.")
                .ConfigureAwait(false);
            return ExitCodes.NothingFound;
        }

        await output.WriteLineAsync(format == "json" ? passport.ToJson() : passport.ToMarkdown()).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task<SystemPassport?> FromLogAsync(CliArguments args, CancellationToken cancellationToken)
    {
        await using IComplianceLogStore store = StoreOpener.Open(args);
        IReadOnlyList<string> streams = args.Get("stream") is { } one
            ? [one]
            : await store.GetStreamsAsync(cancellationToken).ConfigureAwait(false);
        LogEntry? latest = null;
        foreach (string stream in streams)
        {
            await foreach (LogEntry entry in store.ReadAsync(stream, 0, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Kind == LogEntryKind.Passport && (latest is null || entry.Timestamp >= latest.Timestamp))
                {
                    latest = entry;
                }
            }
        }

        return latest is null ? null : SystemPassport.Parse(latest.Payload);
    }

    private static SystemPassport FromConfiguration(string path, string sectionName, string declarationSection)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The configuration file {Path.GetFullPath(path)} does not exist.", path);
        }

        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false)
            .Build();
        IConfigurationSection section = configuration.GetSection(sectionName);
        if (!section.Exists())
        {
            throw new CliUsageException($"The configuration file {path} has no section '{sectionName}'.");
        }

        // The candidates' clients are not needed to describe them: each key gets a client that never connects.
        var services = new ServiceCollection();
        foreach (IConfigurationSection candidate in section.GetSection("Candidates").GetChildren())
        {
            string key = candidate["ClientKey"] ?? candidate["Id"] ?? string.Empty;
            services.AddKeyedSingleton<IChatClient>(key, new NotConnectedChatClient());
        }

        _ = services.AddMetaModel(section);
        using ServiceProvider provider = services.BuildServiceProvider();
        MetaModelChatClient client = provider.GetRequiredService<MetaModelChatClient>();
        var declaration = new SystemDeclaration();
        configuration.GetSection(declarationSection).Bind(declaration);
        return SystemPassport.Describe(client, declaration);
    }
}

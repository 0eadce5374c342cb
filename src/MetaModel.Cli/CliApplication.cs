using System.Net.Sockets;
using MetaModel.Compliance.Privacy;
using MetaModel.Compliance.Storage;
using Npgsql;

namespace MetaModel.Cli;

/// <summary>The <c>metamodel</c> command's entry point, callable in-process by tests.</summary>
public static class CliApplication
{
    private const string UsageText = """
        Usage: metamodel <command> [options]

        Commands:
          verify    Verify the hash chain of every stream (or --stream NAME).
                    --anchor FILE      also check a head exported earlier
                    --export-head FILE write the verified head, to anchor elsewhere
          passport  Print the latest system passport recorded in the log, or --config FILE to describe a
                    configuration (--section MetaModel, --declaration-section Declaration). --format markdown|json
          energy    Energy (Wh) and emissions (gCO2e) table. --by candidate,tenant,day  --grid-intensity G
                    --fallback-profile small|medium|large  --profile ID=small|medium|large,...  --from/--until DATE
          cost      Cost table (USD). --by candidate,tenant,day  --from/--until DATE
                    energy and cost add up every stream of the log (and say so), or only --stream NAME;
                    they read the log as stored: run verify first to know it is intact.

        The log: --sqlite FILE, or --postgres CONNECTION-STRING [--schema metamodel].

        Exit codes: 0 success (chain intact), 1 chain broken or an entry unreadable, 2 wrong usage, 3 log not found
        or unreachable, 4 wrong schema version or not a MetaModel log, 5 nothing to show, 10 unexpected error.
        """;

    private static readonly HashSet<string> s_flags = new(StringComparer.Ordinal);
    private static readonly ContentRedactor s_redactor = new();

    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Receives the results.</param>
    /// <param name="error">Receives the errors.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        try
        {
            if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
            {
                await output.WriteLineAsync(UsageText).ConfigureAwait(false);
                return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Success;
            }

            CliArguments parsed = CliArguments.Parse(args, s_flags);
            return parsed.Command switch
            {
                "verify" => await VerifyCommand.RunAsync(parsed, output, cancellationToken).ConfigureAwait(false),
                "passport" => await PassportCommand.RunAsync(parsed, output, error, cancellationToken).ConfigureAwait(false),
                "energy" => await UsageCommand.RunAsync(parsed, energy: true, output, cancellationToken).ConfigureAwait(false),
                "cost" => await UsageCommand.RunAsync(parsed, energy: false, output, cancellationToken).ConfigureAwait(false),
                _ => throw new CliUsageException($"Unknown command '{parsed.Command}'."),
            };
        }
        catch (CliUsageException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            await error.WriteLineAsync(UsageText).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (FileNotFoundException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.StoreUnavailable;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync("error: " + s_redactor.Redact(ex.Message)).ConfigureAwait(false);
            return ExitCodes.StoreUnavailable;
        }
        catch (ComplianceLogSchemaException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.WrongSchema;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            await error.WriteLineAsync(
                "error: the PostgreSQL log cannot be reached: " + s_redactor.Redact(ex.Message)).ConfigureAwait(false);
            return ExitCodes.StoreUnavailable;
        }
        catch (InvalidDataException ex)
        {
            // An entry that cannot be read was most likely edited: the log is not what its writer wrote.
            await error.WriteLineAsync("error: " + s_redactor.Redact(ex.Message)).ConfigureAwait(false);
            return ExitCodes.ChainBroken;
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync("error: " + s_redactor.Redact(ex.Message)).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync($"error: {ex.GetType().Name}: {s_redactor.Redact(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}

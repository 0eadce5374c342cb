using MetaModel.Compliance.PostgreSql;
using MetaModel.Compliance.Sqlite;
using MetaModel.Compliance.Storage;

namespace MetaModel.Cli;

/// <summary>Opens the log named on the command line, without creating anything.</summary>
internal static class StoreOpener
{
    public static readonly string[] Options = ["sqlite", "postgres", "schema"];

    public static IComplianceLogStore Open(CliArguments args)
    {
        string? path = args.Get("sqlite");
        string? connectionString = args.Get("postgres");
        if ((path is null) == (connectionString is null))
        {
            throw new CliUsageException("Name exactly one log: --sqlite FILE or --postgres CONNECTION-STRING.");
        }

        if (path is not null)
        {
            // Read-only: verifying or reporting changes nothing, so a write-protected copy can be audited.
            return SqliteComplianceLogStore.OpenExisting(path, new SqliteComplianceLogStoreOptions { ReadOnly = true });
        }

        var options = new PostgreSqlComplianceLogStoreOptions();
        if (args.Get("schema") is { } schema)
        {
            options.Schema = schema;
        }

        return PostgreSqlComplianceLogStore.OpenExisting(connectionString!, options);
    }
}

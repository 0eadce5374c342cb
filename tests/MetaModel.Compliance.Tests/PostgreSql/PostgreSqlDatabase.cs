using Npgsql;

namespace MetaModel.Compliance.Tests.PostgreSql;

/// <summary>
/// The PostgreSQL server of the integration tests: the connection string comes from METAMODEL_TEST_POSTGRES, else
/// the default of .ci/services.d/postgres.sh. Each test uses its own schema, dropped afterwards.
/// </summary>
public sealed class PostgreSqlDatabase : IAsyncDisposable
{
    public const string DefaultConnectionString =
        "Host=127.0.0.1;Port=5432;Username=metamodel;Password=metamodel;Database=metamodel_test;Timeout=5";

    private PostgreSqlDatabase(string connectionString, string schema)
    {
        ConnectionString = connectionString;
        Schema = schema;
    }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("METAMODEL_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : DefaultConnectionString;

    public string ConnectionString { get; }

    public string Schema { get; }

    public static async Task<PostgreSqlDatabase> CreateAsync()
    {
        string schema = "mm_test_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await using var connection = new NpgsqlConnection(ServerConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString);
            throw new InvalidOperationException(
                $"The PostgreSQL integration tests need a server at {builder.Host}:{builder.Port} " +
                $"(database {builder.Database}, user {builder.Username}); none answered ({ex.GetType().Name}). " +
                "Run `bash .ci/services.d/postgres.sh` as root, " +
                "or point METAMODEL_TEST_POSTGRES at a server.",
                ex);
        }

        return new PostgreSqlDatabase(ServerConnectionString, schema);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        _ = await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await ExecuteAsync($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
    }
}

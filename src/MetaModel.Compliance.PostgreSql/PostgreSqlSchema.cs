using MetaModel.Compliance.Storage;
using Npgsql;

namespace MetaModel.Compliance.PostgreSql;

/// <summary>Creates the log's schema and tables, and checks the schema version of an existing log.</summary>
/// <remarks>
/// Creation runs under a transaction-scoped advisory lock, so processes starting together do not race to create
/// the same tables.
/// </remarks>
internal static class PostgreSqlSchema
{
    private const long CreationLockKey = 0x4D4D_4C4F_4753;

    public static void Ensure(NpgsqlDataSource dataSource, string schema, string location, int version, bool create)
    {
        using NpgsqlConnection connection = dataSource.OpenConnection();
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({CreationLockKey})");

        bool hasVersionTable =
            Scalar(connection, transaction, $"SELECT to_regclass('{schema}.schema_version') IS NOT NULL") is true;
        if (!hasVersionTable)
        {
            // A schema that is not there is most likely a misspelt name, not a foreign log: say so.
            if (!create && Scalar(connection, transaction, $"SELECT to_regnamespace('{schema}') IS NULL") is true)
            {
                throw new ComplianceLogSchemaException(
                    $"The decision log at {location} does not exist: the database has no schema '{schema}'.");
            }

            bool hasEntries = Scalar(connection, transaction, $"SELECT to_regclass('{schema}.entries') IS NOT NULL") is true;
            if (!create || hasEntries)
            {
                throw new ComplianceLogSchemaException(location, version, null);
            }

            Execute(connection, transaction, $"""
                CREATE SCHEMA IF NOT EXISTS {schema};
                CREATE TABLE {schema}.streams (
                    stream text PRIMARY KEY,
                    head_seq bigint NOT NULL,
                    head_hash bytea NOT NULL,
                    head_time bigint NOT NULL,
                    checkpoint_seq bigint NOT NULL,
                    checkpoint_hash bytea NOT NULL,
                    checkpoint_time bigint NOT NULL);
                CREATE TABLE {schema}.entries (
                    stream text NOT NULL,
                    seq bigint NOT NULL,
                    time bigint NOT NULL,
                    kind smallint NOT NULL,
                    payload bytea NOT NULL,
                    prev_hash bytea NOT NULL,
                    hash bytea NOT NULL,
                    PRIMARY KEY (stream, seq));
                CREATE TABLE {schema}.checkpoints (
                    stream text NOT NULL,
                    seq bigint NOT NULL,
                    hash bytea NOT NULL,
                    time bigint NOT NULL,
                    deleted_count bigint NOT NULL,
                    applied_at bigint NOT NULL,
                    PRIMARY KEY (stream, seq));
                CREATE TABLE {schema}.schema_version (id int PRIMARY KEY CHECK (id = 1), version int NOT NULL);
                INSERT INTO {schema}.schema_version (id, version) VALUES (1, {version});
                """);
            transaction.Commit();
            return;
        }

        object? found = Scalar(connection, transaction, $"SELECT version FROM {schema}.schema_version WHERE id = 1");
        int? foundVersion = found is int v ? v : null;
        if (foundVersion != version)
        {
            throw new ComplianceLogSchemaException(location, version, foundVersion ?? -1);
        }

        transaction.Commit();
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        _ = command.ExecuteNonQuery();
    }

    private static object? Scalar(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        return command.ExecuteScalar();
    }
}

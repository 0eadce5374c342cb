using MetaModel.Compliance.Storage;
using Microsoft.Data.Sqlite;

namespace MetaModel.Compliance.Sqlite;

/// <summary>Creates the tables of a new log and checks the schema version of an existing one.</summary>
internal static class SqliteSchema
{
    private const string CreateTables = """
        CREATE TABLE IF NOT EXISTS streams (
            stream TEXT PRIMARY KEY NOT NULL,
            head_seq INTEGER NOT NULL,
            head_hash BLOB NOT NULL,
            head_time INTEGER NOT NULL,
            checkpoint_seq INTEGER NOT NULL,
            checkpoint_hash BLOB NOT NULL,
            checkpoint_time INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS entries (
            id INTEGER PRIMARY KEY,
            stream TEXT NOT NULL,
            seq INTEGER NOT NULL,
            time INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            payload BLOB NOT NULL,
            prev_hash BLOB NOT NULL,
            hash BLOB NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS entries_stream_seq ON entries (stream, seq);
        CREATE TABLE IF NOT EXISTS checkpoints (
            stream TEXT NOT NULL,
            seq INTEGER NOT NULL,
            hash BLOB NOT NULL,
            time INTEGER NOT NULL,
            deleted_count INTEGER NOT NULL,
            applied_at INTEGER NOT NULL,
            PRIMARY KEY (stream, seq));
        """;

    public static void Ensure(Func<SqliteConnection> open, string path, int version, bool create, bool readOnly)
    {
        using SqliteConnection connection = open();
        if (!readOnly)
        {
            using SqliteCommand wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            _ = wal.ExecuteScalar();
        }

        // A read-only connection cannot take the write lock; it reads the version in a plain read transaction.
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: readOnly);
        int? found = ReadVersion(connection, transaction, out bool anyTable);
        if (found is null)
        {
            if (!create || anyTable)
            {
                throw new ComplianceLogSchemaException(path, version, null);
            }

            using SqliteCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = CreateTables +
                "CREATE TABLE schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);" +
                "INSERT INTO schema_version (id, version) VALUES (1, $version);";
            command.Parameters.AddWithValue("$version", version);
            _ = command.ExecuteNonQuery();
            transaction.Commit();
            return;
        }

        if (found != version)
        {
            throw new ComplianceLogSchemaException(path, version, found);
        }

        transaction.Commit();
    }

    private static int? ReadVersion(SqliteConnection connection, SqliteTransaction transaction, out bool anyTable)
    {
        using SqliteCommand tables = connection.CreateCommand();
        tables.Transaction = transaction;
        tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var names = new List<string>();
        using (SqliteDataReader reader = tables.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        anyTable = names.Count > 0;
        if (!names.Contains("schema_version"))
        {
            return null;
        }

        using SqliteCommand select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT version FROM schema_version WHERE id = 1";
        object? value = select.ExecuteScalar();
        return value is null or DBNull ? -1 : Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}

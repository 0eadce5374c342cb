using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Storage;
using Microsoft.Data.Sqlite;

namespace MetaModel.Compliance.Sqlite;

/// <summary>The embedded decision log store: one SQLite file in WAL mode.</summary>
/// <remarks>
/// <para>
/// Tables: <c>schema_version</c> (one row, the schema version), <c>streams</c> (each stream's head and retention
/// checkpoint), <c>entries</c> (the chain, keyed by stream and sequence) and <c>checkpoints</c> (every retention
/// run). Opening a file of another schema version fails with a <see cref="ComplianceLogSchemaException"/>.
/// </para>
/// <para>
/// Each append is one <c>BEGIN IMMEDIATE</c> transaction that reads the stream's head and inserts after it, so
/// several processes can share a file and still keep one chain per stream: SQLite's write lock serializes them.
/// A crash leaves either the whole batch or none of it. Readers do not block the writer (WAL). Thread-safe.
/// </para>
/// </remarks>
public sealed class SqliteComplianceLogStore : IComplianceLogStore, IDisposable
{
    /// <summary>The schema version this library reads and writes.</summary>
    public const int SchemaVersion = 1;

    private readonly string _connectionString;
    private readonly string _path;
    private readonly bool _synchronousFull;
    private readonly bool _readOnly;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private SqliteComplianceLogStore(string path, SqliteComplianceLogStoreOptions options, bool readOnly)
    {
        _path = path;
        _synchronousFull = options.SynchronousFull;
        _readOnly = readOnly;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string Path => _path;

    /// <inheritdoc/>
    public string Description => _readOnly
        ? $"SQLite file {_path} (read-only, schema {SchemaVersion})"
        : $"SQLite file {_path} (WAL, synchronous={(_synchronousFull ? "FULL" : "NORMAL")}, schema {SchemaVersion})";

    /// <summary>Opens the log at <paramref name="path"/>, creating the file and its tables if needed.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ComplianceLogSchemaException">
    /// The file holds another schema version or is not a MetaModel log.
    /// </exception>
    public static SqliteComplianceLogStore Open(string path, SqliteComplianceLogStoreOptions? options = null) =>
        OpenCore(path, options, create: true, readOnly: false);

    /// <summary>Opens an existing log without creating anything, as a verifier or report should.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="options">
    /// The settings; the defaults when <see langword="null"/>. Set
    /// <see cref="SqliteComplianceLogStoreOptions.ReadOnly"/> to change nothing in the file.
    /// </param>
    /// <returns>The store.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ComplianceLogSchemaException">
    /// The file holds another schema version or is not a MetaModel log.
    /// </exception>
    public static SqliteComplianceLogStore OpenExisting(string path, SqliteComplianceLogStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The decision log file {System.IO.Path.GetFullPath(path)} does not exist.", path);
        }

        return OpenCore(path, options, create: false, readOnly: options?.ReadOnly ?? false);
    }

    /// <inheritdoc/>
    public async ValueTask<ChainHead> AppendAsync(
        string stream,
        IReadOnlyList<PendingEntry> entries,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(entries);
        ThrowIfReadOnly();

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            using SqliteConnection connection = OpenConnection();
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            StreamRow head = ReadOrCreateStream(connection, transaction, stream);
            ChainHead result = Append(connection, transaction, stream, head, entries);
            transaction.Commit();
            return result;
        }
        finally
        {
            _ = _writeLock.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<RetentionResult> DeleteBeforeAsync(
        string stream,
        DateTimeOffset cutoff,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ThrowIfReadOnly();

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using SqliteConnection connection = OpenConnection();
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            StreamRow state = ReadOrCreateStream(connection, transaction, stream);

            using SqliteCommand last = Command(
                connection,
                transaction,
                "SELECT seq, hash, time FROM entries WHERE stream = $stream AND seq < " +
                "COALESCE((SELECT seq FROM entries WHERE stream = $stream AND time >= $cutoff ORDER BY seq LIMIT 1), " +
                "9223372036854775807) " +
                "ORDER BY seq DESC LIMIT 1");
            last.Parameters.AddWithValue("$stream", stream);
            last.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
            long lastSeq;
            byte[] lastHash;
            long lastTime;
            using (SqliteDataReader reader = last.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return new RetentionResult(stream, 0, state.Checkpoint);
                }

                bool exact = true;
                lastSeq = Integer(reader, 0, ref exact);
                lastHash = Bytes(reader, 1);
                lastTime = Time(Integer(reader, 2, ref exact), ref exact).ToUnixTimeMilliseconds();
            }

            using SqliteCommand delete =
                Command(connection, transaction, "DELETE FROM entries WHERE stream = $stream AND seq <= $seq");
            delete.Parameters.AddWithValue("$stream", stream);
            delete.Parameters.AddWithValue("$seq", lastSeq);
            long deleted = delete.ExecuteNonQuery();

            var checkpoint =
                new ChainCheckpoint(lastSeq, HashChain.ToHex(lastHash), DateTimeOffset.FromUnixTimeMilliseconds(lastTime));
            using SqliteCommand update = Command(
                connection,
                transaction,
                "UPDATE streams SET checkpoint_seq = $seq, checkpoint_hash = $hash, checkpoint_time = $time " +
                "WHERE stream = $stream; " +
                "INSERT INTO checkpoints (stream, seq, hash, time, deleted_count, applied_at) " +
                "VALUES ($stream, $seq, $hash, $time, $count, $now);");
            update.Parameters.AddWithValue("$stream", stream);
            update.Parameters.AddWithValue("$seq", lastSeq);
            update.Parameters.AddWithValue("$hash", lastHash);
            update.Parameters.AddWithValue("$time", lastTime);
            update.Parameters.AddWithValue("$count", deleted);
            update.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            _ = update.ExecuteNonQuery();

            _ = Append(connection, transaction, stream, state, [RetentionEntry.Create(checkpoint, deleted, cutoff, now)]);
            transaction.Commit();
            return new RetentionResult(stream, deleted, checkpoint);
        }
        finally
        {
            _ = _writeLock.Release();
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> GetStreamsAsync(CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = OpenConnection();
        // A stream whose record was deleted still has its entries, which verification must not pass over.
        using SqliteCommand command = Command(
            connection,
            null,
            "SELECT stream FROM streams UNION SELECT stream FROM entries UNION SELECT stream FROM checkpoints");
        var streams = new List<string>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            streams.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? string.Empty);
        }

        streams.Sort(StringComparer.Ordinal);
        return new ValueTask<IReadOnlyList<string>>(streams.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <inheritdoc/>
    public ValueTask<StreamState?> GetStreamStateAsync(string stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using SqliteConnection connection = OpenConnection();
        StreamRow? row = ReadStream(connection, null, stream);
        return new ValueTask<StreamState?>(row?.State(stream));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<RetentionRun> ReadCheckpointHistoryAsync(
        string stream,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using SqliteConnection connection = OpenConnection();
        using SqliteCommand command = Command(
            connection,
            null,
            "SELECT seq, hash, time, deleted_count, applied_at FROM checkpoints WHERE stream = $stream ORDER BY seq");
        command.Parameters.AddWithValue("$stream", stream);
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool exact = true;
            long sequence = Integer(reader, 0, ref exact);
            DateTimeOffset time = Time(Integer(reader, 2, ref exact), ref exact);
            long deleted = Integer(reader, 3, ref exact);
            DateTimeOffset appliedAt = Time(Integer(reader, 4, ref exact), ref exact);

            // A row holding a value this store did not write is read without its hash, so that verification reports
            // it as edited instead of reading it as the whole number or time nearest to it.
            yield return new RetentionRun(
                new ChainCheckpoint(sequence, exact ? HashChain.ToHex(Bytes(reader, 1)) : string.Empty, time),
                deleted,
                appliedAt);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<LogEntry> ReadAsync(
        string stream,
        long afterSequence = 0,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using SqliteConnection connection = OpenConnection();
        using SqliteCommand command = Command(
            connection,
            null,
            "SELECT seq, time, kind, payload, prev_hash, hash FROM entries WHERE stream = $stream AND seq > $after ORDER BY seq");
        command.Parameters.AddWithValue("$stream", stream);
        command.Parameters.AddWithValue("$after", afterSequence);
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool exact = true;
            long sequence = Integer(reader, 0, ref exact);
            DateTimeOffset time = Time(Integer(reader, 1, ref exact), ref exact);
            long kind = Integer(reader, 2, ref exact);
            if (kind is < int.MinValue or > int.MaxValue)
            {
                exact = false;
                kind = Math.Clamp(kind, int.MinValue, int.MaxValue);
            }

            // An entry whose sequence, time or kind is not the whole number this store wrote cannot be read as it
            // was written: it is read without its hash, so that verification reports it as edited.
            yield return new LogEntry(
                stream,
                sequence,
                time,
                (LogEntryKind)(int)kind,
                Bytes(reader, 3),
                Bytes(reader, 4),
                exact ? Bytes(reader, 5) : []);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _writeLock.Dispose();

        // Pooled connections keep the file open; releasing them lets the file be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static SqliteComplianceLogStore OpenCore(
        string path,
        SqliteComplianceLogStoreOptions? options,
        bool create,
        bool readOnly)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var store = new SqliteComplianceLogStore(
            System.IO.Path.GetFullPath(path),
            options ?? new SqliteComplianceLogStoreOptions(),
            readOnly);
        try
        {
            SqliteSchema.Ensure(store.OpenConnection, store._path, SchemaVersion, create, readOnly);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26)
        {
            store.Dispose();
            throw new ComplianceLogSchemaException($"The file {store._path} is not a SQLite database.", ex);
        }
        catch (SqliteException ex) when (readOnly && ex.SqliteErrorCode is 8 or 14)
        {
            // SQLITE_READONLY or SQLITE_CANTOPEN: a WAL file is read through its -shm file, created next to it.
            store.Dispose();
            throw new IOException(
                $"The decision log {store._path} cannot be opened read-only: SQLite needs to create or read " +
                $"{store._path}-shm in the same folder. Make the folder writable, or copy the file to one that is.",
                ex);
        }
        catch
        {
            store.Dispose();
            throw;
        }

        return store;
    }

    private void ThrowIfReadOnly()
    {
        if (_readOnly)
        {
            throw new InvalidOperationException($"The decision log {_path} was opened read-only: it cannot be written.");
        }
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using SqliteCommand pragma = connection.CreateCommand();
        pragma.CommandText = _synchronousFull ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;";
        _ = pragma.ExecuteNonQuery();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static StreamRow ReadOrCreateStream(SqliteConnection connection, SqliteTransaction transaction, string stream)
    {
        if (ReadStream(connection, transaction, stream) is { } existing)
        {
            return existing;
        }

        using SqliteCommand insert = Command(
            connection,
            transaction,
            "INSERT INTO streams (stream, head_seq, head_hash, head_time, checkpoint_seq, checkpoint_hash, checkpoint_time) " +
            "VALUES ($stream, 0, $zero, $min, 0, $zero, $min)");
        insert.Parameters.AddWithValue("$stream", stream);
        insert.Parameters.AddWithValue("$zero", HashChain.GenesisHash());
        insert.Parameters.AddWithValue("$min", DateTimeOffset.MinValue.ToUnixTimeMilliseconds());
        _ = insert.ExecuteNonQuery();
        return new StreamRow(0, HashChain.GenesisHash(), DateTimeOffset.MinValue, ChainCheckpoint.Genesis);
    }

    /// <summary>Reads a column that this store writes as a BLOB.</summary>
    /// <remarks>
    /// SQLite keeps whatever type a value was written with, so a row edited by hand may hold text, a number or NULL
    /// there. Such a value is read as the bytes of its text (NULL as none), so that verification reports the entry
    /// as edited instead of failing on it.
    /// </remarks>
    private static byte[] Bytes(SqliteDataReader reader, int ordinal) => reader.GetValue(ordinal) switch
    {
        byte[] bytes => bytes,
        DBNull => [],
        object other => Encoding.UTF8.GetBytes(Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    /// <summary>Reads a column that this store writes as an INTEGER.</summary>
    /// <remarks>
    /// A row edited by hand may hold a fraction, text or NULL there. Such a value is read as SQLite converts it to
    /// a whole number (NULL as 0), and <paramref name="exact"/> is cleared, so that the caller can have verification
    /// report the row as edited instead of reading it as the whole number nearest to it.
    /// </remarks>
    private static long Integer(SqliteDataReader reader, int ordinal, ref bool exact)
    {
        switch (reader.GetValue(ordinal))
        {
            case long value:
                return value;
            case DBNull:
                exact = false;
                return 0;
            default:
                exact = false;
                return reader.GetInt64(ordinal);
        }
    }

    /// <summary>Reads a time this store writes as Unix milliseconds.</summary>
    /// <remarks>
    /// A value edited beyond the times a <see cref="DateTimeOffset"/> holds is read as the nearest one it holds, and
    /// <paramref name="exact"/> is cleared, instead of failing the whole read.
    /// </remarks>
    private static DateTimeOffset Time(long milliseconds, ref bool exact)
    {
        long min = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
        long max = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
        if (milliseconds < min || milliseconds > max)
        {
            exact = false;
            milliseconds = Math.Clamp(milliseconds, min, max);
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }

    private static StreamRow? ReadStream(SqliteConnection connection, SqliteTransaction? transaction, string stream)
    {
        using SqliteCommand select = Command(
            connection,
            transaction,
            "SELECT head_seq, head_hash, head_time, checkpoint_seq, checkpoint_hash, checkpoint_time FROM streams " +
            "WHERE stream = $stream");
        select.Parameters.AddWithValue("$stream", stream);
        using SqliteDataReader reader = select.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        // A head or checkpoint whose sequence is not the whole number this store wrote is read without its hash, so
        // that verification reports a head or checkpoint that differs from the chain. A time that is not is read as
        // the nearest one and flagged: verification reads that head or checkpoint without its hash too (State), but
        // an append, which does not use the time, still goes on from the head.
        bool headExact = true;
        bool checkpointExact = true;
        bool headTimeExact = true;
        bool checkpointTimeExact = true;
        long headSequence = Integer(reader, 0, ref headExact);
        long checkpointSequence = Integer(reader, 3, ref checkpointExact);
        return new StreamRow(
            headSequence,
            headExact ? Bytes(reader, 1) : [],
            Time(Integer(reader, 2, ref headTimeExact), ref headTimeExact),
            new ChainCheckpoint(
                checkpointSequence,
                checkpointExact ? HashChain.ToHex(Bytes(reader, 4)) : string.Empty,
                Time(Integer(reader, 5, ref checkpointTimeExact), ref checkpointTimeExact)))
        {
            HeadTimeExact = headTimeExact,
            CheckpointTimeExact = checkpointTimeExact,
        };
    }

    private static ChainHead Append(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string stream,
        StreamRow head,
        IReadOnlyList<PendingEntry> entries)
    {
        LogEntry[] sealedEntries = HashChain.Seal(stream, head.Sequence, head.Hash, entries);
        if (sealedEntries.Length == 0)
        {
            return head.Head(stream);
        }

        using SqliteCommand insert = Command(
            connection,
            transaction,
            "INSERT INTO entries (stream, seq, time, kind, payload, prev_hash, hash) " +
            "VALUES ($stream, $seq, $time, $kind, $payload, $prev, $hash)");
        SqliteParameter streamParameter = insert.Parameters.Add("$stream", SqliteType.Text);
        SqliteParameter seq = insert.Parameters.Add("$seq", SqliteType.Integer);
        SqliteParameter time = insert.Parameters.Add("$time", SqliteType.Integer);
        SqliteParameter kind = insert.Parameters.Add("$kind", SqliteType.Integer);
        SqliteParameter payload = insert.Parameters.Add("$payload", SqliteType.Blob);
        SqliteParameter previous = insert.Parameters.Add("$prev", SqliteType.Blob);
        SqliteParameter hash = insert.Parameters.Add("$hash", SqliteType.Blob);
        streamParameter.Value = stream;
        insert.Prepare();
        foreach (LogEntry entry in sealedEntries)
        {
            seq.Value = entry.Sequence;
            time.Value = entry.Timestamp.ToUnixTimeMilliseconds();
            kind.Value = (int)entry.Kind;
            payload.Value = entry.Payload;
            previous.Value = entry.PreviousHash;
            hash.Value = entry.Hash;
            _ = insert.ExecuteNonQuery();
        }

        LogEntry last = sealedEntries[^1];
        using SqliteCommand update = Command(
            connection,
            transaction,
            "UPDATE streams SET head_seq = $seq, head_hash = $hash, head_time = $time WHERE stream = $stream");
        update.Parameters.AddWithValue("$stream", stream);
        update.Parameters.AddWithValue("$seq", last.Sequence);
        update.Parameters.AddWithValue("$hash", last.Hash);
        update.Parameters.AddWithValue("$time", last.Timestamp.ToUnixTimeMilliseconds());
        _ = update.ExecuteNonQuery();
        return new ChainHead(stream, last.Sequence, HashChain.ToHex(last.Hash), last.Timestamp);
    }

    private sealed record StreamRow(long Sequence, byte[] Hash, DateTimeOffset Time, ChainCheckpoint Checkpoint)
    {
        public bool HeadTimeExact { get; init; } = true;

        public bool CheckpointTimeExact { get; init; } = true;

        public ChainHead Head(string stream) => new(stream, Sequence, HashChain.ToHex(Hash), Time);

        /// <summary>The record as verification reads it: a head or checkpoint whose time was edited has no hash.</summary>
        public StreamState State(string stream) => new(
            HeadTimeExact ? Head(stream) : Head(stream) with { Hash = string.Empty },
            CheckpointTimeExact ? Checkpoint : Checkpoint with { Hash = string.Empty });
    }
}

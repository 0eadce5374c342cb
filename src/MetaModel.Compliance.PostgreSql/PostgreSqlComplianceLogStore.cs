using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Storage;
using Npgsql;
using NpgsqlTypes;

namespace MetaModel.Compliance.PostgreSql;

/// <summary>The production decision log store: PostgreSQL, shared by any number of writers.</summary>
/// <remarks>
/// <para>
/// <b>Many writers, one chain per stream.</b> Every append is one transaction that locks the stream's row in
/// <c>streams</c> (<c>SELECT … FOR UPDATE</c>), reads the head, appends the sealed batch with binary <c>COPY</c>,
/// moves the head and commits. A second writer of the same stream — another thread, process or machine — waits on
/// the row lock and then reads the new head, so batches of one stream are chained one after another and never
/// fork; writers of different streams do not wait for each other. The primary key (stream, sequence) rejects any
/// duplicate sequence, should the rule be broken.
/// </para>
/// <para>
/// Tables live in their own schema (<see cref="PostgreSqlComplianceLogStoreOptions.Schema"/>): <c>schema_version</c>,
/// <c>streams</c>, <c>entries</c>, <c>checkpoints</c>. Descriptions and error messages never include the
/// connection string. Thread-safe.
/// </para>
/// </remarks>
public sealed partial class PostgreSqlComplianceLogStore : IComplianceLogStore, IDisposable
{
    /// <summary>The schema version this library reads and writes.</summary>
    public const int SchemaVersion = 1;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly string _location;

    private PostgreSqlComplianceLogStore(NpgsqlDataSource dataSource, string schema, string location)
    {
        _dataSource = dataSource;
        _schema = schema;
        _location = location;
    }

    /// <inheritdoc/>
    public string Description => $"PostgreSQL {_location} (schema version {SchemaVersion})";

    /// <summary>Opens the log in the database, creating its schema and tables if needed.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException">The connection string or schema name is not valid.</exception>
    /// <exception cref="ComplianceLogSchemaException">The schema holds another version of the log.</exception>
    public static PostgreSqlComplianceLogStore Open(
        string connectionString,
        PostgreSqlComplianceLogStoreOptions? options = null) =>
        OpenCore(connectionString, options, create: true);

    /// <summary>Opens an existing log without creating anything, as a verifier or report should.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="options">The settings; the defaults when <see langword="null"/>.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException">The connection string or schema name is not valid.</exception>
    /// <exception cref="ComplianceLogSchemaException">The schema has no log, or another version of it.</exception>
    public static PostgreSqlComplianceLogStore OpenExisting(
        string connectionString,
        PostgreSqlComplianceLogStoreOptions? options = null) =>
        OpenCore(connectionString, options, create: false);

    /// <inheritdoc/>
    public async ValueTask<ChainHead> AppendAsync(
        string stream,
        IReadOnlyList<PendingEntry> entries,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentNullException.ThrowIfNull(entries);

        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction =
            await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        StreamRow head = await LockStreamAsync(connection, transaction, stream, cancellationToken).ConfigureAwait(false);
        ChainHead result =
            await AppendAsync(connection, transaction, stream, head, entries, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc/>
    public async ValueTask<RetentionResult> DeleteBeforeAsync(
        string stream,
        DateTimeOffset cutoff,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);

        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction =
            await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        StreamRow state = await LockStreamAsync(connection, transaction, stream, cancellationToken).ConfigureAwait(false);

        await using var last = new NpgsqlCommand(
            $"SELECT seq, hash, time FROM {_schema}.entries WHERE stream = $1 AND seq < " +
            $"COALESCE((SELECT seq FROM {_schema}.entries " +
            "WHERE stream = $1 AND time >= $2 ORDER BY seq LIMIT 1), 9223372036854775807) " +
            "ORDER BY seq DESC LIMIT 1",
            connection,
            transaction);
        last.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
        last.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cutoff.ToUnixTimeMilliseconds() });
        long lastSeq;
        byte[] lastHash;
        long lastTime;
        await using (NpgsqlDataReader reader = await last.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return new RetentionResult(stream, 0, state.Checkpoint);
            }

            lastSeq = reader.GetInt64(0);
            lastHash = reader.GetFieldValue<byte[]>(1);
            lastTime = reader.GetInt64(2);
        }

        await using var delete =
            new NpgsqlCommand($"DELETE FROM {_schema}.entries WHERE stream = $1 AND seq <= $2", connection, transaction);
        delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
        delete.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lastSeq });
        long deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        var checkpoint =
            new ChainCheckpoint(lastSeq, HashChain.ToHex(lastHash), Time(lastTime));
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Batch(
                    $"UPDATE {_schema}.streams SET checkpoint_seq = $2, checkpoint_hash = $3, checkpoint_time = $4 " +
                    "WHERE stream = $1",
                    stream,
                    lastSeq,
                    lastHash,
                    lastTime),
                Batch(
                    $"INSERT INTO {_schema}.checkpoints (stream, seq, hash, time, deleted_count, applied_at) " +
                    "VALUES ($1, $2, $3, $4, $5, $6)",
                    stream,
                    lastSeq,
                    lastHash,
                    lastTime,
                    deleted,
                    now.ToUnixTimeMilliseconds()),
            },
        };
        _ = await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        _ = await AppendAsync(
            connection,
            transaction,
            stream,
            state,
            [RetentionEntry.Create(checkpoint, deleted, cutoff, now)],
            cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RetentionResult(stream, deleted, checkpoint);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<string>> GetStreamsAsync(CancellationToken cancellationToken = default)
    {
        // A stream whose record was deleted still has its entries, which verification must not pass over.
        await using NpgsqlCommand command = _dataSource.CreateCommand(
            $"SELECT stream FROM {_schema}.streams UNION SELECT stream FROM {_schema}.entries " +
            $"UNION SELECT stream FROM {_schema}.checkpoints");
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var streams = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            streams.Add(reader.GetString(0));
        }

        streams.Sort(StringComparer.Ordinal);
        return streams;
    }

    /// <inheritdoc/>
    public async ValueTask<StreamState?> GetStreamStateAsync(string stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        StreamRow? row =
            await ReadStreamAsync(connection, null, stream, forUpdate: false, cancellationToken).ConfigureAwait(false);
        return row?.State(stream);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<RetentionRun> ReadCheckpointHistoryAsync(
        string stream,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"SELECT seq, hash, time, deleted_count, applied_at FROM {_schema}.checkpoints WHERE stream = $1 ORDER BY seq",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // A row holding a time beyond what a date holds is read without its hash, so that verification reports it
            // as edited instead of reading it as the nearest time.
            bool exact = true;
            DateTimeOffset time = Time(reader.GetInt64(2), ref exact);
            DateTimeOffset appliedAt = Time(reader.GetInt64(4), ref exact);
            yield return new RetentionRun(
                new ChainCheckpoint(
                    reader.GetInt64(0),
                    exact ? HashChain.ToHex(reader.GetFieldValue<byte[]>(1)) : string.Empty,
                    time),
                reader.GetInt64(3),
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
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            $"SELECT seq, time, kind, payload, prev_hash, hash FROM {_schema}.entries " +
            "WHERE stream = $1 AND seq > $2 ORDER BY seq",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequence });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new LogEntry(
                stream,
                reader.GetInt64(0),
                Time(reader.GetInt64(1)),
                (LogEntryKind)reader.GetInt16(2),
                reader.GetFieldValue<byte[]>(3),
                reader.GetFieldValue<byte[]>(4),
                reader.GetFieldValue<byte[]>(5));
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc/>
    public void Dispose() => _dataSource.Dispose();

    /// <summary>Reads a time this store writes as Unix milliseconds.</summary>
    /// <remarks>
    /// A value edited beyond the times a <see cref="DateTimeOffset"/> holds is read as the nearest one it holds,
    /// instead of failing the whole read: an entry's time is part of its hash, so verification reports it as edited.
    /// </remarks>
    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(
        milliseconds,
        DateTimeOffset.MinValue.ToUnixTimeMilliseconds(),
        DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()));

    /// <summary>Reads a time this store writes as Unix milliseconds, clearing <paramref name="exact"/> if clamped.</summary>
    private static DateTimeOffset Time(long milliseconds, ref bool exact)
    {
        DateTimeOffset time = Time(milliseconds);
        exact &= time.ToUnixTimeMilliseconds() == milliseconds;
        return time;
    }

    private static PostgreSqlComplianceLogStore OpenCore(
        string connectionString,
        PostgreSqlComplianceLogStoreOptions? options,
        bool create)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        options ??= new PostgreSqlComplianceLogStoreOptions();
        if (!SchemaName().IsMatch(options.Schema))
        {
            throw new ArgumentException(
                $"The schema name '{options.Schema}' is not allowed: use lowercase letters, digits and underscores.",
                nameof(options));
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // The original message may quote the connection string, password included.
            throw new ArgumentException("The PostgreSQL connection string is not valid.", nameof(connectionString));
        }

        string location = $"database {builder.Database} on {builder.Host}:{builder.Port}, schema {options.Schema}";
        NpgsqlDataSource dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            PostgreSqlSchema.Ensure(dataSource, options.Schema, location, SchemaVersion, create);
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }

        return new PostgreSqlComplianceLogStore(dataSource, options.Schema, location);
    }

    private static NpgsqlBatchCommand Batch(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (object value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private async Task<StreamRow> LockStreamAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string stream,
        CancellationToken cancellationToken)
    {
        // Creating the row first makes FOR UPDATE always find a row to lock, even for a new stream.
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO {_schema}.streams " +
            "(stream, head_seq, head_hash, head_time, checkpoint_seq, checkpoint_hash, checkpoint_time) " +
            "VALUES ($1, 0, $2, $3, 0, $2, $3) ON CONFLICT (stream) DO NOTHING",
            connection,
            transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
            insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = HashChain.GenesisHash() });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = DateTimeOffset.MinValue.ToUnixTimeMilliseconds() });
            _ = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await ReadStreamAsync(connection, transaction, stream, forUpdate: true, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The stream row of '{stream}' disappeared while it was being locked.");
    }

    private async Task<StreamRow?> ReadStreamAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string stream,
        bool forUpdate,
        CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(
            "SELECT head_seq, head_hash, head_time, checkpoint_seq, checkpoint_hash, checkpoint_time " +
            $"FROM {_schema}.streams WHERE stream = $1" + (forUpdate ? " FOR UPDATE" : string.Empty),
            connection,
            transaction);
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
        await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // A time beyond what a date holds is read as the nearest one and flagged: verification reads that head or
        // checkpoint without its hash (State), but an append, which does not use the time, still goes on from the head.
        bool headTimeExact = true;
        bool checkpointTimeExact = true;
        return new StreamRow(
            reader.GetInt64(0),
            reader.GetFieldValue<byte[]>(1),
            Time(reader.GetInt64(2), ref headTimeExact),
            new ChainCheckpoint(
                reader.GetInt64(3),
                HashChain.ToHex(reader.GetFieldValue<byte[]>(4)),
                Time(reader.GetInt64(5), ref checkpointTimeExact)))
        {
            HeadTimeExact = headTimeExact,
            CheckpointTimeExact = checkpointTimeExact,
        };
    }

    private async Task<ChainHead> AppendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string stream,
        StreamRow head,
        IReadOnlyList<PendingEntry> entries,
        CancellationToken cancellationToken)
    {
        LogEntry[] sealedEntries = HashChain.Seal(stream, head.Sequence, head.Hash, entries);
        if (sealedEntries.Length == 0)
        {
            return head.Head(stream);
        }

        await using (NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync(
            $"COPY {_schema}.entries (stream, seq, time, kind, payload, prev_hash, hash) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (LogEntry entry in sealedEntries)
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(stream, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(entry.Sequence, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(
                    entry.Timestamp.ToUnixTimeMilliseconds(),
                    NpgsqlDbType.Bigint,
                    cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync((short)entry.Kind, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(entry.Payload, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(entry.PreviousHash, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                await copy.WriteAsync(entry.Hash, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            }

            _ = await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        LogEntry last = sealedEntries[^1];
        await using var update = new NpgsqlCommand(
            $"UPDATE {_schema}.streams SET head_seq = $2, head_hash = $3, head_time = $4 WHERE stream = $1",
            connection,
            transaction);
        update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream });
        update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = last.Sequence });
        update.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = last.Hash });
        update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = last.Timestamp.ToUnixTimeMilliseconds() });
        _ = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return new ChainHead(stream, last.Sequence, HashChain.ToHex(last.Hash), last.Timestamp);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();

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

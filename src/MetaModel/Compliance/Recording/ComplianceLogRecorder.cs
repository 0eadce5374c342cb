using System.Diagnostics;
using System.Threading.Channels;
using MetaModel.Compliance.Chain;
using MetaModel.Compliance.Passport;
using MetaModel.Compliance.Privacy;
using MetaModel.Compliance.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MetaModel.Compliance.Recording;

/// <summary>
/// Records every decision, attempt, outcome and feedback into a tamper-evident log: the request path only enqueues,
/// and a background writer appends batches to an <see cref="IComplianceLogStore"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Request path.</b> Each <c>Record…</c> call puts the record into a bounded queue of
/// <see cref="ComplianceLogOptions.QueueCapacity"/> records; nothing is encoded, hashed or written there. When the
/// queue is full, <see cref="ComplianceLogOptions.FullMode"/> decides: wait (up to
/// <see cref="ComplianceLogOptions.MaxEnqueueWait"/>, then fail the request) or drop and count. Every dropped or
/// refused record is admitted in the log by a <see cref="LogEntryKind.Loss"/> entry.
/// </para>
/// <para>
/// <b>Writer.</b> One background task takes up to <see cref="ComplianceLogOptions.MaxBatchSize"/> records at a time,
/// pseudonymizes tenants and users, redacts error messages and captured text, encodes canonical payloads and appends
/// them in one store transaction. A failed append is retried with the same batch, so the queue fills and
/// back-pressure reaches the request path instead of records being lost.
/// </para>
/// <para>
/// <b>Shutdown and crashes.</b> Disposal stops intake, writes everything queued and waits for it (up to
/// <see cref="ComplianceLogOptions.ShutdownTimeout"/>). After a crash, what was in the queue or in the batch being
/// written is missing: at most <see cref="ComplianceLogOptions.QueueCapacity"/> plus
/// <see cref="ComplianceLogOptions.MaxBatchSize"/> records, all younger than what the store holds; the store's chain
/// stays intact because each batch is one transaction. <see cref="FlushAsync"/> waits until all earlier records are
/// stored. All members are thread-safe.
/// </para>
/// </remarks>
public sealed class ComplianceLogRecorder : IComplianceContentRecorder, IAsyncDisposable, IDisposable
{
    private readonly IComplianceLogStore _store;
    private readonly ComplianceLogOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Channel<object> _queue;
    private readonly LogEntryEncoder _encoder;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _writer;
    private readonly string _stream;
    private long _written;
    private long _dropped;
    private long _unreportedLoss;
    private long _failedAppends;
    private long _unencodable;
    private DateTimeOffset _nextRetention;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="ComplianceLogRecorder"/> class and starts its writer.</summary>
    /// <param name="store">The store; the recorder does not dispose it.</param>
    /// <param name="options">The settings; <see cref="ComplianceLogOptions.PseudonymizationKey"/> is required.</param>
    /// <param name="timeProvider">The clock for retention and loss entries; the system clock when <see langword="null"/>.</param>
    /// <param name="logger">The logger; nothing is logged when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The settings are invalid; the message lists every problem.</exception>
    public ComplianceLogRecorder(
        IComplianceLogStore store,
        ComplianceLogOptions options,
        TimeProvider? timeProvider = null,
        ILogger<ComplianceLogRecorder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The decision log settings are invalid: " + string.Join(" ", problems), nameof(options));
        }

        _store = store;
        _options = options;
        _stream = string.IsNullOrEmpty(options.Stream) ? "default" : options.Stream;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Redactor = new ContentRedactor(options.RedactorProvider);
        _encoder = new LogEntryEncoder(
            new Pseudonymizer(options.PseudonymizationKey!, options.PseudonymizationKeyId),
            Redactor,
            options.GridCarbonIntensity);
        _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        _nextRetention = _timeProvider.GetUtcNow();
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Gets the stream this recorder appends to.</summary>
    public string Stream => _stream;

    /// <summary>Gets the store.</summary>
    public IComplianceLogStore Store => _store;

    /// <inheritdoc/>
    public bool CapturesContent => _options.CaptureContent;

    /// <summary>Gets how many records were stored.</summary>
    public long WrittenCount => Interlocked.Read(ref _written);

    /// <summary>Gets how many records were dropped or refused because the queue was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Gets how many records could not be encoded, such as a record with a required member left null.</summary>
    /// <remarks>Each is left out of the log and admitted by a <see cref="LogEntryKind.Loss"/> entry naming the error.</remarks>
    public long UnencodableCount => Interlocked.Read(ref _unencodable);

    /// <summary>Gets how many appends failed and were retried.</summary>
    public long FailedAppendCount => Interlocked.Read(ref _failedAppends);

    /// <summary>Gets how many records wait in the queue; never more than the capacity.</summary>
    public int QueueLength => _queue.Reader.Count;

    /// <summary>Gets the redactor applied to error messages and captured text.</summary>
    internal ContentRedactor Redactor { get; }

    /// <inheritdoc/>
    public void RecordDecision(DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Enqueue(record);
    }

    /// <inheritdoc/>
    public void RecordAttempt(AttemptRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Enqueue(record);
    }

    /// <inheritdoc/>
    public void RecordOutcome(OutcomeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Enqueue(record);
    }

    /// <inheritdoc/>
    public void RecordFeedback(FeedbackRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Enqueue(record);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Ignored unless <see cref="ComplianceLogOptions.CaptureContent"/> is on; the text is redacted before it is
    /// stored.
    /// </remarks>
    public void RecordContent(ContentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_options.CaptureContent)
        {
            Enqueue(record);
        }
    }

    /// <summary>Records a snapshot of the system passport.</summary>
    /// <param name="passport">The passport.</param>
    public void RecordPassport(SystemPassport passport)
    {
        ArgumentNullException.ThrowIfNull(passport);
        Enqueue(passport);
    }

    /// <summary>Describes this recorder for the system passport.</summary>
    /// <returns>The description.</returns>
    public RecorderDescription Describe() => new(
        _store.Description,
        _stream,
        _options.QueueCapacity,
        _options.MaxBatchSize,
        _options.FullMode.ToString(),
        _options.MaxEnqueueWait,
        _options.CaptureContent,
        _options.RetentionDays,
        _options.GridCarbonIntensity,
        _options.PseudonymizationKeyId);

    /// <summary>Waits until every record enqueued before this call is stored.</summary>
    /// <param name="cancellationToken">Stops waiting; the records are still written.</param>
    /// <returns>A task that completes when the records are stored.</returns>
    /// <exception cref="ObjectDisposedException">The recorder was disposed.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flush = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _queue.Writer.WriteAsync(flush, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new ObjectDisposedException("The decision log recorder was disposed.", ex);
        }

        await flush.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes records older than <see cref="ComplianceLogOptions.RetentionDays"/> now, keeping a checkpoint.</summary>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What was deleted; nothing when no retention is set.</returns>
    public async Task<RetentionResult> ApplyRetentionAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (_options.RetentionDays is not int days)
        {
            return new RetentionResult(_stream, 0, ChainCheckpoint.Genesis);
        }

        DateTimeOffset cutoff = now.AddDays(-days);
        RetentionResult result = await _store.DeleteBeforeAsync(_stream, cutoff, now, cancellationToken).ConfigureAwait(false);
        if (result.DeletedCount > 0)
        {
            Log.RetentionApplied(_logger, result.DeletedCount, _stream, cutoff, result.Checkpoint.Sequence);
        }

        return result;
    }

    /// <summary>Stops intake, writes every queued record, and waits for the writer.</summary>
    /// <returns>A task that completes when the queue is written or the shutdown timeout passed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _ = _queue.Writer.TryComplete();
        using var stopWaiting = new CancellationTokenSource();
        Task timeout = Task.Delay(_options.ShutdownTimeout, _timeProvider, stopWaiting.Token);
        Task finished = await Task.WhenAny(_writer, timeout).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
        if (finished != _writer)
        {
            Log.ShutdownIncomplete(_logger, _queue.Reader.Count, _stream);
            await _abort.CancelAsync().ConfigureAwait(false);
            await _writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _abort.Dispose();
    }

    /// <inheritdoc/>
    /// <remarks>Blocks until the queue is written; prefer <see cref="DisposeAsync"/>.</remarks>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Enqueue(object item)
    {
        if (!_queue.Writer.TryWrite(item))
        {
            EnqueueSlow(item);
        }
    }

    private void EnqueueSlow(object item)
    {
        if (Volatile.Read(ref _disposed) != 0 || _options.FullMode == RecorderFullMode.Drop)
        {
            CountLoss();
            return;
        }

        long start = Stopwatch.GetTimestamp();
        TimeSpan limit = _options.MaxEnqueueWait;
        while (true)
        {
            TimeSpan waited = Stopwatch.GetElapsedTime(start);
            TimeSpan remaining = limit == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : limit - waited;
            if (remaining != Timeout.InfiniteTimeSpan && remaining <= TimeSpan.Zero)
            {
                CountLoss();
                throw new ComplianceRecorderFullException(_options.QueueCapacity, waited);
            }

            // The request path blocks here on purpose: this is the back-pressure a regulated deployment asks for.
            Task<bool> room = _queue.Writer.WaitToWriteAsync().AsTask();
            if (!room.Wait(remaining))
            {
                continue;
            }

            if (!room.Result)
            {
                // The recorder was disposed while the request waited.
                CountLoss();
                return;
            }

            if (_queue.Writer.TryWrite(item))
            {
                return;
            }
        }
    }

    private void CountLoss()
    {
        _ = Interlocked.Increment(ref _dropped);
        _ = Interlocked.Increment(ref _unreportedLoss);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingEntry>(_options.MaxBatchSize + 1);
        var flushes = new List<TaskCompletionSource>();
        ChannelReader<object> reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
            {
                while (batch.Count < _options.MaxBatchSize && reader.TryRead(out object? item))
                {
                    if (item is TaskCompletionSource flush)
                    {
                        flushes.Add(flush);
                    }
                    else
                    {
                        batch.Add(EncodeOrAdmitLoss(item));
                    }
                }

                long lost = Interlocked.Exchange(ref _unreportedLoss, 0);
                if (lost > 0)
                {
                    Log.RecordsLost(_logger, lost, _stream);
                    batch.Add(_encoder.Loss(lost, _timeProvider.GetUtcNow()));
                }

                if (batch.Count > 0)
                {
                    await AppendWithRetryAsync(batch).ConfigureAwait(false);
                    _ = Interlocked.Add(ref _written, batch.Count);
                    batch.Clear();
                }

                foreach (TaskCompletionSource flush in flushes)
                {
                    _ = flush.TrySetResult();
                }

                flushes.Clear();
                await RetainIfDueAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            Log.ShutdownIncomplete(_logger, batch.Count + reader.Count, _stream);
        }
        finally
        {
            foreach (TaskCompletionSource flush in flushes)
            {
                _ = flush.TrySetException(
                    new ObjectDisposedException("The decision log recorder stopped before the flush completed."));
            }

            while (reader.TryRead(out object? item))
            {
                _ = (item as TaskCompletionSource)?.TrySetException(
                    new ObjectDisposedException("The decision log recorder stopped before the flush completed."));
            }
        }
    }

    private PendingEntry EncodeOrAdmitLoss(object item)
    {
        try
        {
            return _encoder.Encode(item);
        }
        catch (Exception ex)
        {
            // One malformed record must not stop the writer: every later record would be lost without a trace.
            _ = Interlocked.Increment(ref _unencodable);
            string kind = item.GetType().Name;
            string? message = Redactor.Redact(ex.Message);
            Log.RecordUnencodable(_logger, kind, _stream, ex.GetType().Name, message);
            return _encoder.Unencodable(kind, ex.GetType().Name, message, _timeProvider.GetUtcNow());
        }
    }

    private async Task AppendWithRetryAsync(List<PendingEntry> batch)
    {
        while (true)
        {
            try
            {
                _ = await _store.AppendAsync(_stream, batch, _abort.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_abort.IsCancellationRequested)
            {
                _ = Interlocked.Increment(ref _failedAppends);
                Log.AppendFailed(
                    _logger,
                    batch.Count,
                    _stream,
                    ex.GetType().Name,
                    Redactor.Redact(ex.Message),
                    (long)_options.RetryDelay.TotalMilliseconds);
                await Task.Delay(_options.RetryDelay, _timeProvider, _abort.Token).ConfigureAwait(false);
            }
        }
    }

    private async Task RetainIfDueAsync()
    {
        if (_options.RetentionDays is null || _timeProvider.GetUtcNow() < _nextRetention)
        {
            return;
        }

        _nextRetention = _timeProvider.GetUtcNow() + _options.RetentionInterval;
        try
        {
            _ = await ApplyRetentionAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RetentionFailed(_logger, _stream, ex.GetType().Name, Redactor.Redact(ex.Message));
        }
    }
}

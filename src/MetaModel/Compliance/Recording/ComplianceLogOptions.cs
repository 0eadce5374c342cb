using MetaModel.Compliance.Passport;
using Microsoft.Extensions.Compliance.Redaction;

namespace MetaModel.Compliance.Recording;

/// <summary>Settings of a <see cref="ComplianceLogRecorder"/>.</summary>
public sealed class ComplianceLogOptions
{
    /// <summary>The most days <see cref="RetentionDays"/> may be: 100 years.</summary>
    public const int MaxRetentionDays = 36_500;

    // Longer waits than these are mistakes, and beyond about 24 days the timers behind them throw.
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);
    private static readonly TimeSpan MaxRetentionInterval = TimeSpan.FromDays(365);

    /// <summary>Gets or sets the stream (one hash chain) the recorder appends to.</summary>
    /// <value>
    /// The default is <see langword="null"/>: the metamodel's name when registered through the builder, else
    /// <c>default</c>. Several processes may share a stream; the store keeps one chain.
    /// </value>
    public string? Stream { get; set; }

    /// <summary>Gets or sets how many records the queue holds before back-pressure applies.</summary>
    /// <value>The default is 16,384. Memory is bounded by this many records plus one batch.</value>
    public int QueueCapacity { get; set; } = 16_384;

    /// <summary>Gets or sets the most records appended in one store transaction.</summary>
    /// <value>The default is 1,000.</value>
    public int MaxBatchSize { get; set; } = 1_000;

    /// <summary>Gets or sets what happens on the request path when the queue is full.</summary>
    /// <value>The default is <see cref="RecorderFullMode.Wait"/>.</value>
    public RecorderFullMode FullMode { get; set; } = RecorderFullMode.Wait;

    /// <summary>Gets or sets how long a request waits for room in <see cref="RecorderFullMode.Wait"/> mode.</summary>
    /// <value>
    /// The default is 2 seconds; at most 1 day, or <see cref="Timeout.InfiniteTimeSpan"/> to wait without limit.
    /// </value>
    public TimeSpan MaxEnqueueWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the secret key of the tenant and user pseudonyms (HMAC-SHA256).</summary>
    /// <value>Required: at least 16 bytes, 32 random bytes advised. It is never written anywhere.</value>
    public byte[]? PseudonymizationKey { get; set; }

    /// <summary>Gets or sets the public name of <see cref="PseudonymizationKey"/>, recorded with every pseudonym.</summary>
    /// <value>The default is <c>k1</c>.</value>
    public string PseudonymizationKeyId { get; set; } = "k1";

    /// <summary>Gets or sets a value indicating whether prompts and answers are stored, redacted.</summary>
    /// <value>The default is <see langword="false"/>: no text of a prompt or answer is stored.</value>
    /// <remarks>Error messages are always redacted before they are stored, whatever this setting.</remarks>
    public bool CaptureContent { get; set; }

    /// <summary>Gets or sets the redactors for the kinds of sensitive data found in text.</summary>
    /// <value>The default is <see langword="null"/>: spans are replaced by labels such as <c>[redacted:Secret]</c>.</value>
    public IRedactorProvider? RedactorProvider { get; set; }

    /// <summary>Gets or sets the grid carbon intensity used for each request's emissions, in gCO2e per kWh.</summary>
    /// <value>The default is 436, the world average of electricity generation in 2022 (see docs/energy.md).</value>
    public double GridCarbonIntensity { get; set; } = 436;

    /// <summary>Gets or sets how many days records are kept; older ones are deleted by retention.</summary>
    /// <value>The default is <see langword="null"/>: records are kept forever. At most 36,500 (100 years).</value>
    public int? RetentionDays { get; set; }

    /// <summary>Gets or sets how often the writer applies retention.</summary>
    /// <value>The default is 1 hour; at most 365 days.</value>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long the writer waits before retrying a failed append.</summary>
    /// <value>
    /// The default is 1 second, at most 1 day; the batch is kept and retried until it is stored or the recorder is
    /// disposed.
    /// </value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long disposal waits for the queue to be written.</summary>
    /// <value>The default is 30 seconds; at most 1 day.</value>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the declarations about the system that go into its passport.</summary>
    public SystemDeclaration Declaration { get; } = new();

    /// <summary>Checks the settings and lists every problem.</summary>
    /// <returns>The problems; empty when the settings are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (PseudonymizationKey is null || PseudonymizationKey.Length < Privacy.Pseudonymizer.MinimumKeyLength)
        {
            problems.Add(
                "PseudonymizationKey must be set to a secret of at least 16 bytes (32 random bytes advised): tenants " +
                "and users are stored only as keyed hashes.");
        }

        if (string.IsNullOrWhiteSpace(PseudonymizationKeyId))
        {
            problems.Add("PseudonymizationKeyId must not be empty.");
        }

        if (QueueCapacity < 1)
        {
            problems.Add($"QueueCapacity must be at least 1 (was {QueueCapacity}).");
        }

        if (MaxBatchSize < 1)
        {
            problems.Add($"MaxBatchSize must be at least 1 (was {MaxBatchSize}).");
        }

        if ((MaxEnqueueWait < TimeSpan.Zero || MaxEnqueueWait > MaxWait) && MaxEnqueueWait != Timeout.InfiniteTimeSpan)
        {
            problems.Add($"MaxEnqueueWait must be from zero to {MaxWait.TotalDays:0} day, or infinite (was {MaxEnqueueWait}).");
        }

        if (!double.IsFinite(GridCarbonIntensity) || GridCarbonIntensity < 0)
        {
            problems.Add($"GridCarbonIntensity must be a finite number of at least 0 gCO2e/kWh (was {GridCarbonIntensity}).");
        }

        if (RetentionDays is < 1 or > MaxRetentionDays)
        {
            problems.Add($"RetentionDays must be from 1 to {MaxRetentionDays:N0} when set (was {RetentionDays}).");
        }

        if (RetentionInterval <= TimeSpan.Zero || RetentionInterval > MaxRetentionInterval)
        {
            problems.Add(
                $"RetentionInterval must be positive and at most {MaxRetentionInterval.TotalDays:0} days " +
                $"(was {RetentionInterval}).");
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > MaxWait)
        {
            problems.Add($"RetryDelay must be from zero to {MaxWait.TotalDays:0} day (was {RetryDelay}).");
        }

        if (ShutdownTimeout < TimeSpan.Zero || ShutdownTimeout > MaxWait)
        {
            problems.Add($"ShutdownTimeout must be from zero to {MaxWait.TotalDays:0} day (was {ShutdownTimeout}).");
        }

        return problems;
    }
}

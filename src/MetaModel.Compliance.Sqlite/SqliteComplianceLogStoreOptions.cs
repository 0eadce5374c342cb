namespace MetaModel.Compliance.Sqlite;

/// <summary>Settings of a <see cref="SqliteComplianceLogStore"/>.</summary>
public sealed class SqliteComplianceLogStoreOptions
{
    /// <summary>Gets or sets a value indicating whether every commit is flushed to the disk (<c>synchronous=FULL</c>).</summary>
    /// <value>
    /// The default is <see langword="true"/>: a committed batch survives a power loss. With <see langword="false"/>
    /// (<c>synchronous=NORMAL</c>) it survives a crash of the process but the last commits may be lost with power.
    /// </value>
    public bool SynchronousFull { get; set; } = true;

    /// <summary>Gets or sets how long a writer waits for another process's write lock.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets a value indicating whether the file is opened read-only, as a verifier or report should.</summary>
    /// <value>
    /// The default is <see langword="false"/>. With <see langword="true"/> nothing in the file is changed, so a
    /// write-protected copy can be verified; appends and retention throw <see cref="InvalidOperationException"/>.
    /// Only <see cref="SqliteComplianceLogStore.OpenExisting"/> honours it: a log is never created read-only.
    /// </value>
    public bool ReadOnly { get; set; }
}

namespace MetaModel.Compliance.Storage;

/// <summary>Thrown when a store's schema version is not the one this library reads and writes.</summary>
public sealed class ComplianceLogSchemaException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ComplianceLogSchemaException"/> class.</summary>
    /// <param name="location">Where the store is (a path or a database and schema name), without secrets.</param>
    /// <param name="expected">The version this library uses.</param>
    /// <param name="found">The version found, or <see langword="null"/> when the version table is missing.</param>
    public ComplianceLogSchemaException(string location, int expected, int? found)
        : base(found is null
            ? $"The decision log at {location} has no schema version table; it was not created by MetaModel."
            : $"The decision log at {location} has schema version {found}, but this version of MetaModel reads " +
              $"and writes schema version {expected}. Use a matching MetaModel version, or migrate the log.")
    {
        Location = location;
        ExpectedVersion = expected;
        FoundVersion = found;
    }

    /// <summary>Initializes a new instance of the <see cref="ComplianceLogSchemaException"/> class.</summary>
    public ComplianceLogSchemaException()
        : this("an unknown location", 0, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ComplianceLogSchemaException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ComplianceLogSchemaException(string message)
        : base(message)
    {
        Location = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="ComplianceLogSchemaException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ComplianceLogSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
        Location = string.Empty;
    }

    /// <summary>Gets where the store is.</summary>
    public string Location { get; }

    /// <summary>Gets the schema version this library uses.</summary>
    public int ExpectedVersion { get; }

    /// <summary>Gets the version found, or <see langword="null"/> when there is none.</summary>
    public int? FoundVersion { get; }
}

namespace MetaModel.Compliance.PostgreSql;

/// <summary>Settings of a <see cref="PostgreSqlComplianceLogStore"/>.</summary>
public sealed class PostgreSqlComplianceLogStoreOptions
{
    /// <summary>Gets or sets the database schema that holds the log's tables.</summary>
    /// <value>The default is <c>metamodel</c>. Lowercase letters, digits and underscores, not starting with a digit.</value>
    public string Schema { get; set; } = "metamodel";
}

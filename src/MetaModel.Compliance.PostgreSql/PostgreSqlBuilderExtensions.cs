using MetaModel.Compliance.PostgreSql;
using MetaModel.Compliance.Recording;

namespace MetaModel.DependencyInjection;

/// <summary>Adds the PostgreSQL decision log to a metamodel.</summary>
public static class PostgreSqlBuilderExtensions
{
    /// <summary>Records every decision into the PostgreSQL database of <paramref name="connectionString"/>.</summary>
    /// <param name="builder">The metamodel's builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="configure">Changes the recorder's settings; the pseudonymization key is required.</param>
    /// <param name="storeOptions">The store's settings; the defaults when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The schema and tables are created when the metamodel is first built, if missing. Any number of instances may
    /// share the database and stream; the store keeps one chain per stream.
    /// </remarks>
    public static MetaModelBuilder UsePostgreSqlRecorder(
        this MetaModelBuilder builder,
        string connectionString,
        Action<ComplianceLogOptions>? configure = null,
        PostgreSqlComplianceLogStoreOptions? storeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return builder.UseComplianceLog(_ => PostgreSqlComplianceLogStore.Open(connectionString, storeOptions), configure);
    }
}

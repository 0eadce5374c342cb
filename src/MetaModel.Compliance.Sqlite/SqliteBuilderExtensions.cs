using MetaModel.Compliance.Recording;
using MetaModel.Compliance.Sqlite;

namespace MetaModel.DependencyInjection;

/// <summary>Adds the SQLite decision log to a metamodel.</summary>
public static class SqliteBuilderExtensions
{
    /// <summary>Records every decision into the SQLite file at <paramref name="path"/>, created if needed.</summary>
    /// <param name="builder">The metamodel's builder.</param>
    /// <param name="path">The database file.</param>
    /// <param name="configure">Changes the recorder's settings; the pseudonymization key is required.</param>
    /// <param name="storeOptions">The store's settings; the defaults when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The file is opened when the metamodel is first built; the container disposes the recorder, then the store.
    /// </remarks>
    public static MetaModelBuilder UseSqliteRecorder(
        this MetaModelBuilder builder,
        string path,
        Action<ComplianceLogOptions>? configure = null,
        SqliteComplianceLogStoreOptions? storeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.UseComplianceLog(_ => SqliteComplianceLogStore.Open(path, storeOptions), configure);
    }
}

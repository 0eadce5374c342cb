namespace MetaModel.Cli;

/// <summary>The exit codes of the <c>metamodel</c> command; docs/compliance.md lists them too.</summary>
public static class ExitCodes
{
    /// <summary>The command succeeded; for <c>verify</c>, every stream is intact.</summary>
    public const int Success = 0;

    /// <summary>Verification found the chain broken: an entry was edited, deleted, inserted or reordered.</summary>
    public const int ChainBroken = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The log cannot be reached: the file does not exist, or the database cannot be connected to.</summary>
    public const int StoreUnavailable = 3;

    /// <summary>The log has another schema version, or is not a MetaModel decision log.</summary>
    public const int WrongSchema = 4;

    /// <summary>The log holds nothing to show, such as no passport, or no stream of the name given to --stream.</summary>
    public const int NothingFound = 5;

    /// <summary>An unexpected error.</summary>
    public const int Failure = 10;
}

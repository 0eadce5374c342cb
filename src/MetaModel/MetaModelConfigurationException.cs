namespace MetaModel;

/// <summary>Thrown at startup when a metamodel's configuration is invalid; lists every problem at once.</summary>
public sealed class MetaModelConfigurationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MetaModelConfigurationException"/> class.</summary>
    /// <param name="problems">Every problem found; at least one.</param>
    public MetaModelConfigurationException(IReadOnlyList<string> problems)
        : base(BuildMessage(problems))
    {
        Problems = problems;
    }

    /// <summary>Initializes a new instance of the <see cref="MetaModelConfigurationException"/> class.</summary>
    public MetaModelConfigurationException()
        : this(["The configuration is invalid."])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MetaModelConfigurationException"/> class.</summary>
    /// <param name="message">The problem.</param>
    public MetaModelConfigurationException(string message)
        : this([message])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MetaModelConfigurationException"/> class.</summary>
    /// <param name="message">The problem.</param>
    /// <param name="innerException">The cause.</param>
    public MetaModelConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Gets every problem found.</summary>
    public IReadOnlyList<string> Problems { get; }

    internal static void ThrowIfInvalid(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new MetaModelConfigurationException(problems);
        }
    }

    private static string BuildMessage(IReadOnlyList<string> problems) =>
        $"The MetaModel configuration has {problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")}:" +
        Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p));
}

namespace MetaModel.Policies;

/// <summary>The exception thrown when a policy's settings are invalid; it lists every problem.</summary>
public sealed class PolicySettingsException : ArgumentException
{
    /// <summary>Initializes a new instance of the <see cref="PolicySettingsException"/> class.</summary>
    /// <param name="policyName">The policy's name, such as <c>bandit</c>.</param>
    /// <param name="problems">Every problem found, each a sentence.</param>
    /// <param name="paramName">The name of the parameter that holds the settings.</param>
    public PolicySettingsException(string policyName, IReadOnlyList<string> problems, string? paramName = null)
        : base($"Invalid {policyName} policy settings: " + string.Join(" ", problems ?? []), paramName)
    {
        PolicyName = policyName;
        Problems = problems ?? [];
    }

    /// <summary>Initializes a new instance of the <see cref="PolicySettingsException"/> class.</summary>
    public PolicySettingsException()
        : this("routing", [])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PolicySettingsException"/> class.</summary>
    /// <param name="message">The message.</param>
    public PolicySettingsException(string message)
        : base(message)
    {
        PolicyName = "routing";
        Problems = [message];
    }

    /// <summary>Initializes a new instance of the <see cref="PolicySettingsException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PolicySettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
        PolicyName = "routing";
        Problems = [message];
    }

    /// <summary>Gets the name of the policy whose settings are invalid.</summary>
    public string PolicyName { get; }

    /// <summary>Gets every problem found, each a sentence.</summary>
    public IReadOnlyList<string> Problems { get; }
}

namespace MetaModel.Cli;

/// <summary>The parsed command line: a command and <c>--name value</c> options.</summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    private CliArguments(string command)
    {
        Command = command;
    }

    public string Command { get; }

    public static CliArguments Parse(IReadOnlyList<string> args, IReadOnlySet<string> flags)
    {
        if (args.Count == 0)
        {
            throw new CliUsageException("No command given.");
        }

        var parsed = new CliArguments(args[0]);
        for (int i = 1; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length < 3)
            {
                throw new CliUsageException($"Unexpected argument '{arg}'; options are written --name value.");
            }

            string name = arg[2..];
            if (flags.Contains(name))
            {
                parsed._options[name] = "true";
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new CliUsageException($"The option --{name} needs a value.");
            }

            parsed._options[name] = args[++i];
        }

        return parsed;
    }

    public string? Get(string name) => _options.GetValueOrDefault(name);

    public bool Has(string name) => _options.ContainsKey(name);

    public void RejectUnknown(params string[] known)
    {
        foreach (string name in _options.Keys)
        {
            if (Array.IndexOf(known, name) < 0)
            {
                throw new CliUsageException($"The command '{Command}' has no option --{name}.");
            }
        }
    }
}

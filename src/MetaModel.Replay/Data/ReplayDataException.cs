using System.Globalization;
using System.Text;

namespace MetaModel.Replay;

/// <summary>The exception thrown when a replay data file is missing a part, or holds a value that cannot be
/// read.</summary>
/// <remarks>
/// The message names the file and, when they are known, the row, column and line, so that the bad value can be
/// found in an editor. Readers are all-or-nothing: when this exception is thrown, no dataset is returned.
/// </remarks>
public sealed class ReplayDataException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ReplayDataException"/> class.</summary>
    public ReplayDataException()
        : base("The replay data could not be read.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReplayDataException"/> class with a
    /// message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public ReplayDataException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReplayDataException"/> class with a message and
    /// a cause.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ReplayDataException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="ReplayDataException"/> class for a problem at a known
    /// place.
    /// </summary>
    /// <param name="reason">What is wrong, as a sentence.</param>
    /// <param name="filePath">The file (or folder) with the problem.</param>
    /// <param name="row">The 1-based record number, if the problem is in a record.</param>
    /// <param name="column">The column or property with the problem, if known.</param>
    /// <param name="line">The 1-based line of the file, if known.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ReplayDataException(
        string reason,
        string filePath,
        int? row = null,
        string? column = null,
        long? line = null,
        Exception? innerException = null)
        : base(FormatMessage(reason, filePath, row, column, line), innerException)
    {
        FilePath = filePath;
        Row = row;
        Column = column;
        Line = line;
    }

    /// <summary>Gets the file (or folder) with the problem.</summary>
    /// <value>The path as it was given to the reader; <see langword="null"/> when not known.</value>
    public string? FilePath { get; }

    /// <summary>Gets the 1-based number of the record with the problem.</summary>
    /// <value>
    /// For CSV, the data row (the header is not counted, a multi-line row counts once); for a JSON array, the
    /// position of the element (the element at array index 0 is row 1). <see langword="null"/> when the
    /// problem is not in one record, such as a missing column.
    /// </value>
    public int? Row { get; }

    /// <summary>Gets the column (CSV) or property (JSON) with the problem.</summary>
    /// <value>The header or property name; <see langword="null"/> when the problem is not in one
    /// column.</value>
    public string? Column { get; }

    /// <summary>Gets the 1-based line of the file where the problem, or the record that holds it,
    /// starts.</summary>
    /// <value>The line number; <see langword="null"/> when not known.</value>
    public long? Line { get; }

    private static string FormatMessage(
        string reason,
        string filePath,
        int? row,
        string? column,
        long? line)
    {
        var message = new StringBuilder("Replay data file '").Append(filePath).Append('\'');
        if (row is { } r)
        {
            message.Append(CultureInfo.InvariantCulture, $", row {r}");
        }

        if (column is not null)
        {
            message.Append(", column '").Append(column).Append('\'');
        }

        if (line is { } l)
        {
            message.Append(CultureInfo.InvariantCulture, $", line {l}");
        }

        return message.Append(": ").Append(reason).ToString();
    }
}

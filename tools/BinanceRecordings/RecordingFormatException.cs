namespace BinanceRecordings;

/// <summary>
/// A line of a recording that cannot be read. Names the file (or the source name the caller gave)
/// and the 1-based line, so a bad row in a multi-GB file can be found and inspected.
/// </summary>
public sealed class RecordingFormatException : FormatException
{
    public RecordingFormatException()
        : this("(unknown)", 0, "malformed recording")
    {
    }

    public RecordingFormatException(string message)
        : this("(unknown)", 0, message)
    {
    }

    public RecordingFormatException(string message, Exception innerException)
        : this("(unknown)", 0, message, innerException)
    {
    }

    public RecordingFormatException(string source, long lineNumber, string reason, Exception? innerException = null)
        : base($"{source}:{lineNumber}: {reason}", innerException)
    {
        FilePath = source;
        LineNumber = lineNumber;
        Reason = reason;
    }

    /// <summary>The file path or source name the reader was given.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line number of the bad line.</summary>
    public long LineNumber { get; }

    /// <summary>What is wrong with the line, without the location.</summary>
    public string Reason { get; }
}

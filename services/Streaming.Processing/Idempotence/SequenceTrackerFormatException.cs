namespace Streaming.Processing.Idempotence;

/// <summary>Serialized <see cref="SequenceTracker"/> state that is truncated, corrupt or of an unknown format version.</summary>
public sealed class SequenceTrackerFormatException : FormatException
{
    public SequenceTrackerFormatException()
    {
    }

    public SequenceTrackerFormatException(string message)
        : base(message)
    {
    }

    public SequenceTrackerFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

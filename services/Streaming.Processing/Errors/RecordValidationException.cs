namespace Streaming.Processing.Errors;

/// <summary>
/// Thrown by a processor for a record it cannot accept (a bad price, a missing id): the record goes to the
/// dead-letter topic with this message as the reason, and processing carries on. Any other exception is fatal.
/// </summary>
public sealed class RecordValidationException : Exception
{
    public RecordValidationException()
    {
    }

    public RecordValidationException(string message)
        : base(message)
    {
    }

    public RecordValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

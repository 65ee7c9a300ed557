namespace Streaming.Processing.Errors;

/// <summary>
/// Kafka did not acknowledge an output or changelog record. The commit stops before offsets are committed, the
/// thread's tasks are closed without committing, and they are restored from their changelogs: nothing is lost,
/// and the records processed again change nothing (Kafka Streams' <c>TaskCorruptedException</c>, for all tasks).
/// </summary>
public sealed class DeliveryFailedException : Exception
{
    public DeliveryFailedException()
    {
    }

    public DeliveryFailedException(string message)
        : base(message)
    {
    }

    public DeliveryFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

using Confluent.Kafka;

namespace Streaming.EmbeddedKafka;

/// <summary>A call into librdkafka's mock cluster failed.</summary>
public sealed class EmbeddedKafkaException : Exception
{
    public EmbeddedKafkaException(string message)
        : base(message)
    {
    }

    public EmbeddedKafkaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal EmbeddedKafkaException(string operation, int nativeError)
        : base($"{operation} failed: {NativeMethods.Describe(nativeError)} ({(ErrorCode)nativeError})")
    {
        Error = (ErrorCode)nativeError;
    }

    public EmbeddedKafkaException()
    {
    }

    /// <summary>The librdkafka error code, when the failure came with one.</summary>
    public ErrorCode? Error { get; }
}

namespace Streaming.Serialization;

/// <summary>
/// A record that cannot be turned into a message (or a message into a record). The only exception
/// the deserializer lets escape for bad input, so callers can route the record to the dead-letter
/// topic by <see cref="Kind"/> (see <see cref="DeadLetterHeaders"/>).
/// </summary>
public sealed class ProtobufSerdeException : Exception
{
    public ProtobufSerdeException()
        : this(SerdeErrorKind.InvalidPayload, "Invalid protobuf record.")
    {
    }

    public ProtobufSerdeException(string message)
        : this(SerdeErrorKind.InvalidPayload, message)
    {
    }

    public ProtobufSerdeException(string message, Exception innerException)
        : this(SerdeErrorKind.InvalidPayload, message, innerException)
    {
    }

    public ProtobufSerdeException(SerdeErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What was wrong, machine-readable.</summary>
    public SerdeErrorKind Kind { get; }
}

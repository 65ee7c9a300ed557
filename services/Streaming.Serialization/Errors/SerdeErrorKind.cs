namespace Streaming.Serialization;

/// <summary>Why a record could not be serialized or deserialized; stable names for dead-letter headers and metrics.</summary>
public enum SerdeErrorKind
{
    /// <summary>The bytes end before the frame or a varint inside it does.</summary>
    Truncated,

    /// <summary>No type header and the first byte is not Confluent's magic byte 0.</summary>
    BadMagicByte,

    /// <summary>The schema id is not known to the registry (or not verified for this type).</summary>
    UnknownSchemaId,

    /// <summary>The message-index array is malformed or points past the messages of the file.</summary>
    MessageIndexOutOfRange,

    /// <summary>The record names another message type than the one expected.</summary>
    SchemaMismatch,

    /// <summary>The record or message is larger than the configured maximum.</summary>
    PayloadTooLarge,

    /// <summary>The protobuf payload does not parse.</summary>
    InvalidPayload,

    /// <summary>A registry-less record (no Confluent frame) lacks the <c>message-type</c> header.</summary>
    MissingTypeHeader,
}

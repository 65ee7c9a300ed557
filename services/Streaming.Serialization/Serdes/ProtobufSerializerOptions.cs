namespace Streaming.Serialization;

/// <summary>Settings of <see cref="ProtobufSerializer{T}"/>.</summary>
public sealed class ProtobufSerializerOptions
{
    /// <summary>Subject naming with a registry; ignored without one.</summary>
    public SubjectNameStrategy SubjectNameStrategy { get; init; } = SubjectNameStrategy.TopicName;

    /// <summary>Register the schema when missing (true), or only look up its id and fail if absent (false).</summary>
    public bool AutoRegisterSchemas { get; init; } = true;

    /// <summary>Largest serialized record; Kafka's default message.max.bytes is about 1 MiB.</summary>
    public int MaxPayloadBytes { get; init; } = 1024 * 1024;
}

/// <summary>Settings of <see cref="ProtobufDeserializer{T}"/>.</summary>
public sealed class ProtobufDeserializerOptions
{
    /// <summary>Largest record accepted; bigger ones fail with <see cref="SerdeErrorKind.PayloadTooLarge"/> before parsing.</summary>
    public int MaxPayloadBytes { get; init; } = 1024 * 1024;

    /// <summary>For the async verification of schema ids; the synchronous path never calls it.</summary>
    public ISchemaRegistryClient? Registry { get; init; }

    /// <summary>
    /// Reject framed records whose schema id was not verified against the registry yet
    /// (<see cref="SerdeErrorKind.UnknownSchemaId"/>); verify with
    /// <see cref="ProtobufDeserializer{T}.VerifySchemaIdAsync"/> or deserialize with
    /// <see cref="ProtobufDeserializer{T}.DeserializeAsync"/>.
    /// </summary>
    public bool RequireVerifiedSchemaIds { get; init; }
}

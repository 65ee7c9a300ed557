namespace Streaming.Serialization;

/// <summary>A reference from a schema to one it imports: the import path, and the subject and version it is registered under.</summary>
public sealed record SchemaReference(string Name, string Subject, int Version);

/// <summary>
/// A Protobuf schema as sent to the registry. <see cref="Schema"/> is either .proto source text or a
/// base64-encoded FileDescriptorProto (what this library and Confluent's clients send).
/// </summary>
public sealed record ProtobufSchema(string Schema, IReadOnlyList<SchemaReference> References)
{
    public const string SchemaType = "PROTOBUF";
}

/// <summary>A schema as the registry holds it; <see cref="Subject"/> and <see cref="Version"/> are absent when fetched by id alone.</summary>
public sealed record RegisteredSchema(int Id, string? Subject, int? Version, ProtobufSchema Schema);

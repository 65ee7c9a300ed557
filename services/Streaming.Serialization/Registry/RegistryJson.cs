using System.Text.Json.Serialization;

namespace Streaming.Serialization.Registry;

// Bodies of Confluent's Schema Registry REST API (field names as documented).
internal sealed record ReferenceBody(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("version")] int Version);

internal sealed record SchemaRequestBody(
    [property: JsonPropertyName("schemaType")] string SchemaType,
    [property: JsonPropertyName("schema")] string Schema,
    [property: JsonPropertyName("references")] IReadOnlyList<ReferenceBody> References);

internal sealed record SchemaResponseBody(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("version")] int? Version,
    [property: JsonPropertyName("schemaType")] string? SchemaType,
    [property: JsonPropertyName("schema")] string? Schema,
    [property: JsonPropertyName("references")] IReadOnlyList<ReferenceBody>? References);

internal sealed record ErrorBody(
    [property: JsonPropertyName("error_code")] int ErrorCode,
    [property: JsonPropertyName("message")] string? Message);

[JsonSerializable(typeof(SchemaRequestBody))]
[JsonSerializable(typeof(SchemaResponseBody))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;

namespace Streaming.Serialization;

/// <summary>The part of Confluent's Schema Registry REST API the serializers use.</summary>
public interface ISchemaRegistryClient
{
    /// <summary>Registers <paramref name="schema"/> under <paramref name="subject"/> (idempotent) and returns its global id.</summary>
    Task<int> RegisterAsync(string subject, ProtobufSchema schema, CancellationToken cancellationToken);

    /// <summary>The id and version of a schema already registered under <paramref name="subject"/>.</summary>
    /// <exception cref="SchemaRegistryException">40401 when the subject, 40403 when the schema is not there.</exception>
    Task<RegisteredSchema> LookUpAsync(string subject, ProtobufSchema schema, CancellationToken cancellationToken);

    /// <summary>The schema with global id <paramref name="id"/>, in its serialized (descriptor) form.</summary>
    /// <exception cref="SchemaRegistryException">40403 when no schema has that id.</exception>
    Task<RegisteredSchema> GetByIdAsync(int id, CancellationToken cancellationToken);
}

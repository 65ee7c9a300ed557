using Google.Protobuf.Reflection;

namespace Streaming.Serialization.Schemas;

/// <summary>
/// Turns a .proto file into the schema the registry stores: the base64 FileDescriptorProto (what
/// Confluent's own clients send), with every import registered first under its import path as subject
/// and referenced by the version found there. Well-known google/protobuf/* imports are built into the
/// registry and its clients, so they are not referenced (Confluent's clients skip them the same way).
/// </summary>
internal sealed class SchemaRegistrar(ISchemaRegistryClient registry, bool autoRegister)
{
    private const string WellKnownPrefix = "google/protobuf/";

    public async Task<int> GetIdAsync(string subject, FileDescriptor file, CancellationToken cancellationToken)
    {
        var schema = await ToSchemaAsync(file, cancellationToken);
        return autoRegister
            ? await registry.RegisterAsync(subject, schema, cancellationToken)
            : (await registry.LookUpAsync(subject, schema, cancellationToken)).Id;
    }

    private async Task<ProtobufSchema> ToSchemaAsync(FileDescriptor file, CancellationToken cancellationToken)
    {
        var references = new List<SchemaReference>();
        foreach (var dependency in file.Dependencies)
        {
            if (dependency.Name.StartsWith(WellKnownPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var schema = await ToSchemaAsync(dependency, cancellationToken);
            if (autoRegister)
            {
                await registry.RegisterAsync(dependency.Name, schema, cancellationToken);
            }

            var registered = await registry.LookUpAsync(dependency.Name, schema, cancellationToken);
            references.Add(new SchemaReference(dependency.Name, dependency.Name, registered.Version ?? 1));
        }

        return new ProtobufSchema(Convert.ToBase64String(file.SerializedData.Span), references);
    }
}

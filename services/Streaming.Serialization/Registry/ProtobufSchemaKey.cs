namespace Streaming.Serialization.Registry;

/// <summary>A schema compared by value, references included, for the client's caches.</summary>
internal readonly record struct ProtobufSchemaKey(string Schema, string References)
{
    public ProtobufSchemaKey(ProtobufSchema schema)
        : this(schema.Schema, string.Join('\n', schema.References.Select(r => $"{r.Name}\t{r.Subject}\t{r.Version}")))
    {
    }
}

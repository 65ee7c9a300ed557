using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Streaming.Serialization.Tests.Registry;

internal sealed record StoredReference(string Name, string Subject, int Version);

internal sealed record StoredSchema(int Id, string SchemaType, string Schema, IReadOnlyList<StoredReference> References);

internal sealed record SubjectVersion(string Subject, int Version, StoredSchema Schema);

/// <summary>
/// The registry's state as Confluent documents it: global ids shared by identical schemas across
/// subjects, versions per subject, registration idempotent. Schemas are compared in canonical form:
/// a base64 FileDescriptorProto re-encoded, or .proto text as sent.
/// </summary>
internal sealed class SchemaStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<SubjectVersion>> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<int, StoredSchema> _byId = [];
    private readonly Dictionary<string, int> _idByCanonical = new(StringComparer.Ordinal);

    /// <summary>The id, or an error code: 42201 for an invalid schema or a reference to nothing.</summary>
    public (int Id, int ErrorCode, string? Error) Register(string subject, string schemaType, string schema, IReadOnlyList<StoredReference> references)
    {
        lock (_lock)
        {
            if (Validate(schemaType, schema, references) is { } error)
            {
                return (0, 42201, error);
            }

            var key = Canonical(schemaType, schema, references);
            if (!_idByCanonical.TryGetValue(key, out var id))
            {
                id = _byId.Count + 1;
                _idByCanonical[key] = id;
                _byId[id] = new StoredSchema(id, schemaType, schema, references);
            }

            var versions = VersionsOf(subject);
            if (!versions.Exists(v => v.Schema.Id == id))
            {
                versions.Add(new SubjectVersion(subject, versions.Count + 1, _byId[id]));
            }

            return (id, 0, null);
        }
    }

    public SubjectVersion? LookUp(string subject, string schemaType, string schema, IReadOnlyList<StoredReference> references)
    {
        lock (_lock)
        {
            var key = Canonical(schemaType, schema, references);
            return _idByCanonical.TryGetValue(key, out var id) && _subjects.TryGetValue(subject, out var versions)
                ? versions.Find(v => v.Schema.Id == id)
                : null;
        }
    }

    public StoredSchema? ById(int id)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<string> Subjects()
    {
        lock (_lock)
        {
            return [.. _subjects.Keys.Order(StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<SubjectVersion>? Versions(string subject)
    {
        lock (_lock)
        {
            return _subjects.TryGetValue(subject, out var versions) ? [.. versions] : null;
        }
    }

    private List<SubjectVersion> VersionsOf(string subject)
    {
        if (!_subjects.TryGetValue(subject, out var versions))
        {
            versions = [];
            _subjects[subject] = versions;
        }

        return versions;
    }

    private string? Validate(string schemaType, string schema, IReadOnlyList<StoredReference> references)
    {
        if (schemaType != "PROTOBUF")
        {
            return $"Unsupported schema type {schemaType}";
        }

        if (TryParseDescriptor(schema) is null && !schema.TrimStart().StartsWith("syntax", StringComparison.Ordinal))
        {
            return "Invalid schema: neither .proto text nor a base64 FileDescriptorProto";
        }

        foreach (var reference in references)
        {
            if (!_subjects.TryGetValue(reference.Subject, out var versions) || !versions.Exists(v => v.Version == reference.Version))
            {
                return $"Invalid schema: reference {reference.Name} to {reference.Subject} version {reference.Version} not found";
            }
        }

        return null;
    }

    private static string Canonical(string schemaType, string schema, IReadOnlyList<StoredReference> references)
    {
        var body = TryParseDescriptor(schema) is { } descriptor ? Convert.ToBase64String(descriptor.ToByteArray()) : schema;
        return schemaType + "\n" + body + "\n" + string.Join("\n", references.Select(r => $"{r.Name}\t{r.Subject}\t{r.Version}"));
    }

    private static FileDescriptorProto? TryParseDescriptor(string schema)
    {
        var bytes = new byte[schema.Length];
        if (!Convert.TryFromBase64String(schema, bytes, out var length) || length == 0)
        {
            return null;
        }

        try
        {
            var descriptor = FileDescriptorProto.Parser.ParseFrom(bytes, 0, length);
            return string.IsNullOrEmpty(descriptor.Name) ? null : descriptor;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}

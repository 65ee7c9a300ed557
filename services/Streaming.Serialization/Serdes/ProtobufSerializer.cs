using System.Collections.Concurrent;
using Confluent.Kafka;
using Google.Protobuf;
using Streaming.Serialization.Schemas;
using Streaming.Serialization.Serdes;

namespace Streaming.Serialization;

/// <summary>
/// Serializes protobuf messages for Confluent.Kafka producers. With a registry: Confluent's wire
/// format, the schema registered (or looked up) once per subject and then served from a cache.
/// Without one (the embedded default): the plain payload, with headers naming the type
/// (<c>content-type: application/x-protobuf</c>, <c>message-type</c>, <c>schema-fingerprint</c>).
/// </summary>
public sealed class ProtobufSerializer<T> : IAsyncSerializer<T>
    where T : IMessage<T>, new()
{
    private readonly SchemaRegistrar? _registrar;
    private readonly ProtobufSerializerOptions _options;
    private readonly ConcurrentDictionary<string, int> _schemaIds = new();

    /// <summary>The registry-less form.</summary>
    public ProtobufSerializer(ProtobufSerializerOptions? options = null)
    {
        _options = options ?? new ProtobufSerializerOptions();
    }

    /// <summary>Confluent's wire format with schemas in <paramref name="registry"/>.</summary>
    public ProtobufSerializer(ISchemaRegistryClient registry, ProtobufSerializerOptions? options = null)
        : this(options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registrar = new SchemaRegistrar(registry, _options.AutoRegisterSchemas);
    }

    /// <exception cref="ProtobufSerdeException">PayloadTooLarge.</exception>
    /// <exception cref="SchemaRegistryException">The registry refused the schema.</exception>
    public Task<byte[]> SerializeAsync(T data, SerializationContext context)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (_registrar is null)
        {
            return Task.FromResult(SerializePlain(data, context));
        }

        var subject = Subject(context);
        return _schemaIds.TryGetValue(subject, out var id)
            ? Task.FromResult(Frame(id, data))
            : RegisterThenFrameAsync(subject, data);
    }

    private async Task<byte[]> RegisterThenFrameAsync(string subject, T data)
    {
        // IAsyncSerializer has no token; each registry attempt is bounded by the client's own timeout.
        var id = await _registrar!.GetIdAsync(subject, ProtobufType<T>.Descriptor.File, CancellationToken.None);
        _schemaIds[subject] = id;
        return Frame(id, data);
    }

    private byte[] Frame(int schemaId, T data)
    {
        CheckSize(ConfluentProtobufFrame.Length(data));
        return ConfluentProtobufFrame.ToArray(schemaId, data);
    }

    private byte[] SerializePlain(T data, SerializationContext context)
    {
        var headers = context.Headers
            ?? throw new ArgumentException("The registry-less form names the message type in headers, but the context has none.", nameof(context));
        CheckSize(data.CalculateSize());
        TypeHeaders.For(context.Component).Write(headers, ProtobufType<T>.FullNameUtf8, ProtobufType<T>.FingerprintUtf8);
        return data.ToByteArray();
    }

    private void CheckSize(int size)
    {
        if (size > _options.MaxPayloadBytes)
        {
            throw new ProtobufSerdeException(SerdeErrorKind.PayloadTooLarge, $"{ProtobufType<T>.FullName} serializes to {size} bytes, over the limit of {_options.MaxPayloadBytes}.");
        }
    }

    private string Subject(SerializationContext context) => _options.SubjectNameStrategy switch
    {
        SubjectNameStrategy.RecordName => ProtobufType<T>.FullName,
        _ => context.Topic + (context.Component == MessageComponentType.Key ? "-key" : "-value"),
    };
}

using System.Collections.Concurrent;
using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Streaming.Serialization.Schemas;
using Streaming.Serialization.Serdes;
using Streaming.Serialization.WireFormat;

namespace Streaming.Serialization;

/// <summary>
/// Deserializes records of either form into <typeparamref name="T"/>, for Confluent.Kafka consumers.
/// <para>
/// Detection: a <c>message-type</c> header means the registry-less form (the header must name
/// <typeparamref name="T"/>); otherwise the record must be Confluent's frame (first byte 0). The two
/// cannot be confused: a non-empty protobuf payload never starts with 0, since field number 0 is invalid.
/// A record with neither, but with <c>content-type: application/x-protobuf</c>, lost its type header
/// (<see cref="SerdeErrorKind.MissingTypeHeader"/>).
/// </para>
/// <para>
/// Confluent.Kafka's deserializers are synchronous, so this one makes no registry call: the frame's
/// message indexes are checked against <typeparamref name="T"/>'s place in its own .proto file.
/// Whether the schema id itself names <typeparamref name="T"/> is checked on the async path
/// (<see cref="VerifySchemaIdAsync"/>, <see cref="DeserializeAsync"/>), whose results are cached and
/// can be required of the synchronous path (<see cref="ProtobufDeserializerOptions.RequireVerifiedSchemaIds"/>).
/// </para>
/// Bad input throws <see cref="ProtobufSerdeException"/> and nothing else; tombstones (null values) give null.
/// </summary>
public sealed class ProtobufDeserializer<T> : IDeserializer<T>
    where T : class, IMessage<T>, new()
{
    private readonly ProtobufDeserializerOptions _options;
    private readonly ConcurrentDictionary<int, bool> _verifiedSchemaIds = new();

    public ProtobufDeserializer(ProtobufDeserializerOptions? options = null)
    {
        _options = options ?? new ProtobufDeserializerOptions();
    }

    /// <exception cref="ProtobufSerdeException">The record is not a <typeparamref name="T"/> in either form.</exception>
    public T Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
    {
        if (isNull)
        {
            return null!;
        }

        if (data.Length > _options.MaxPayloadBytes)
        {
            throw new ProtobufSerdeException(SerdeErrorKind.PayloadTooLarge, $"Record of {data.Length} bytes is over the limit of {_options.MaxPayloadBytes}.");
        }

        var names = TypeHeaders.For(context.Component);
        if (context.Headers is { } headers && headers.TryGetLastBytes(names.MessageType, out var messageType))
        {
            return DeserializePlain(data, messageType);
        }

        if ((data.IsEmpty || data[0] != FrameHeader.MagicByte) && context.Headers is { } h && h.TryGetLastBytes(names.ContentType, out _))
        {
            throw new ProtobufSerdeException(SerdeErrorKind.MissingTypeHeader, $"Record has {names.ContentType} but no {names.MessageType} header, and is not a Confluent frame.");
        }

        var message = ConfluentProtobufFrame.Read<T>(data, out var schemaId);
        if (_options.RequireVerifiedSchemaIds && !_verifiedSchemaIds.ContainsKey(schemaId))
        {
            throw new ProtobufSerdeException(SerdeErrorKind.UnknownSchemaId, $"Schema id {schemaId} was not verified to name {ProtobufType<T>.FullName}.");
        }

        return message;
    }

    /// <summary>Deserializes after verifying a framed record's schema id with the registry (once per id).</summary>
    /// <exception cref="ProtobufSerdeException">As <see cref="Deserialize"/>, plus UnknownSchemaId and SchemaMismatch from the registry's answer.</exception>
    public async Task<T> DeserializeAsync(ReadOnlyMemory<byte> data, SerializationContext context, CancellationToken cancellationToken)
    {
        if (data.Length >= 5 && data.Span[0] == FrameHeader.MagicByte && !HasTypeHeader(context))
        {
            await VerifySchemaIdAsync(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data.Span[1..]), cancellationToken);
        }

        return Deserialize(data.Span, isNull: false, context);
    }

    /// <summary>
    /// Checks with the registry that <paramref name="schemaId"/> exists and that its message at
    /// <typeparamref name="T"/>'s indexes is <typeparamref name="T"/>; remembers ids that pass.
    /// </summary>
    /// <exception cref="ProtobufSerdeException">UnknownSchemaId, MessageIndexOutOfRange or SchemaMismatch.</exception>
    /// <exception cref="InvalidOperationException">No registry in the options.</exception>
    public async Task VerifySchemaIdAsync(int schemaId, CancellationToken cancellationToken)
    {
        if (_verifiedSchemaIds.ContainsKey(schemaId))
        {
            return;
        }

        var registry = _options.Registry ?? throw new InvalidOperationException("Verifying schema ids needs ProtobufDeserializerOptions.Registry.");
        RegisteredSchema registered;
        try
        {
            registered = await registry.GetByIdAsync(schemaId, cancellationToken);
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == SchemaRegistryException.SchemaNotFound)
        {
            throw new ProtobufSerdeException(SerdeErrorKind.UnknownSchemaId, $"Schema id {schemaId} is not in the registry.", e);
        }

        var named = MessageIndexes.Resolve(ParseDescriptor(schemaId, registered.Schema.Schema), ProtobufType<T>.Indexes);
        if (named is null)
        {
            throw new ProtobufSerdeException(SerdeErrorKind.MessageIndexOutOfRange, $"Schema {schemaId} has no message at {ProtobufType<T>.FullName}'s indexes.");
        }

        if (named != ProtobufType<T>.FullName)
        {
            throw new ProtobufSerdeException(SerdeErrorKind.SchemaMismatch, $"Schema {schemaId} names {named}, not {ProtobufType<T>.FullName}.");
        }

        _verifiedSchemaIds[schemaId] = true;
    }

    private static FileDescriptorProto ParseDescriptor(int schemaId, string schema)
    {
        try
        {
            return FileDescriptorProto.Parser.ParseFrom(Convert.FromBase64String(schema));
        }
        catch (Exception e) when (e is FormatException or InvalidProtocolBufferException)
        {
            throw new ProtobufSerdeException(SerdeErrorKind.SchemaMismatch, $"Schema {schemaId} is not a serialized FileDescriptorProto, so its message cannot be checked.", e);
        }
    }

    private static T DeserializePlain(ReadOnlySpan<byte> data, byte[] messageType)
    {
        if (!messageType.AsSpan().SequenceEqual(ProtobufType<T>.FullNameUtf8))
        {
            throw new ProtobufSerdeException(SerdeErrorKind.SchemaMismatch, $"Record is a {System.Text.Encoding.UTF8.GetString(messageType)}, not a {ProtobufType<T>.FullName}.");
        }

        return PayloadParser.Parse<T>(data);
    }

    private static bool HasTypeHeader(SerializationContext context) =>
        context.Headers is { } headers && headers.TryGetLastBytes(TypeHeaders.For(context.Component).MessageType, out _);
}

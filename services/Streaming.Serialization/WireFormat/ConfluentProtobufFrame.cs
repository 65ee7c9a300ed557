using System.Buffers;
using Google.Protobuf;
using Streaming.Serialization.Schemas;
using Streaming.Serialization.WireFormat;

namespace Streaming.Serialization;

/// <summary>
/// Confluent's Schema Registry wire format for Protobuf: magic byte 0, the 4-byte big-endian schema id,
/// the message-index array locating the type in its .proto file, then the protobuf payload.
/// </summary>
public static class ConfluentProtobufFrame
{
    /// <summary>Length of the frame for <paramref name="message"/>, header included.</summary>
    public static int Length<T>(T message)
        where T : IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(message);
        return FrameHeader.Length(ProtobufType<T>.Indexes) + message.CalculateSize();
    }

    /// <summary>Writes the framed message into <paramref name="output"/> with one buffer request.</summary>
    public static void Write<T>(IBufferWriter<byte> output, int schemaId, T message)
        where T : IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        var headerLength = FrameHeader.Length(ProtobufType<T>.Indexes);
        var total = headerLength + message.CalculateSize();
        var span = output.GetSpan(total)[..total];
        FrameHeader.Write(span, schemaId, ProtobufType<T>.Indexes);
        message.WriteTo(span[headerLength..]);
        output.Advance(total);
    }

    /// <summary>The framed message as a new array of exactly its length.</summary>
    public static byte[] ToArray<T>(int schemaId, T message)
        where T : IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(message);
        var headerLength = FrameHeader.Length(ProtobufType<T>.Indexes);
        var bytes = new byte[headerLength + message.CalculateSize()];
        FrameHeader.Write(bytes, schemaId, ProtobufType<T>.Indexes);
        message.WriteTo(bytes.AsSpan(headerLength));
        return bytes;
    }

    /// <summary>
    /// Reads a frame whose message indexes must name <typeparamref name="T"/> within its own .proto file
    /// (the registry's copy of that file is checked only on the async verification path).
    /// </summary>
    /// <exception cref="ProtobufSerdeException">Any malformed frame, another message type, or an unparsable payload.</exception>
    public static T Read<T>(ReadOnlySpan<byte> frame, out int schemaId)
        where T : IMessage<T>, new()
    {
        Span<int> indexes = stackalloc int[FrameHeader.MaxIndexDepth];
        var headerLength = FrameHeader.Read(frame, out schemaId, indexes, out var count);
        var actual = indexes[..count];
        if (!actual.SequenceEqual(ProtobufType<T>.Indexes))
        {
            throw IndexMismatch<T>(actual, schemaId);
        }

        return PayloadParser.Parse<T>(frame[headerLength..]);
    }

    private static ProtobufSerdeException IndexMismatch<T>(ReadOnlySpan<int> actual, int schemaId)
        where T : IMessage<T>, new()
    {
        var file = ProtobufType<T>.Descriptor.File;
        var shown = string.Join(",", actual.ToArray());
        return MessageIndexes.Exists(file, actual)
            ? new ProtobufSerdeException(SerdeErrorKind.SchemaMismatch, $"Schema {schemaId} message indexes [{shown}] name another message of {file.Name} than {ProtobufType<T>.FullName}.")
            : new ProtobufSerdeException(SerdeErrorKind.MessageIndexOutOfRange, $"Schema {schemaId} message indexes [{shown}] point past the messages of {file.Name}.");
    }
}

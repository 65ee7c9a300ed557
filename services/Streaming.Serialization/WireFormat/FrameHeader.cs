using System.Buffers.Binary;

namespace Streaming.Serialization.WireFormat;

/// <summary>
/// Confluent's frame in front of a protobuf payload: magic byte 0, the schema id as 4 bytes big-endian,
/// then the message-index array as zig-zag varints (count, then indexes); the common array [0] is
/// written as the single byte 0 (count zero), and a count of zero reads back as [0].
/// </summary>
internal static class FrameHeader
{
    public const byte MagicByte = 0;

    /// <summary>Deeper nesting than this is treated as malformed rather than read into an unbounded buffer.</summary>
    public const int MaxIndexDepth = 32;

    private const int PrefixLength = 5;

    public static int Length(ReadOnlySpan<int> indexes)
    {
        if (IsDefault(indexes))
        {
            return PrefixLength + 1;
        }

        var length = PrefixLength + ZigZagVarint.Length(indexes.Length);
        foreach (var index in indexes)
        {
            length += ZigZagVarint.Length(index);
        }

        return length;
    }

    public static int Write(Span<byte> destination, int schemaId, ReadOnlySpan<int> indexes)
    {
        destination[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(destination[1..], schemaId);
        if (IsDefault(indexes))
        {
            destination[PrefixLength] = 0;
            return PrefixLength + 1;
        }

        var written = PrefixLength + ZigZagVarint.Write(indexes.Length, destination[PrefixLength..]);
        foreach (var index in indexes)
        {
            written += ZigZagVarint.Write(index, destination[written..]);
        }

        return written;
    }

    /// <summary>
    /// Reads the header into <paramref name="indexes"/> (at least <see cref="MaxIndexDepth"/> long).
    /// Returns the header's length; <paramref name="indexCount"/> says how many indexes were read.
    /// </summary>
    /// <exception cref="ProtobufSerdeException">Truncated, BadMagicByte or MessageIndexOutOfRange.</exception>
    public static int Read(ReadOnlySpan<byte> frame, out int schemaId, Span<int> indexes, out int indexCount)
    {
        if (frame.IsEmpty)
        {
            throw new ProtobufSerdeException(SerdeErrorKind.Truncated, "Empty record: expected Confluent's magic byte 0.");
        }

        if (frame[0] != MagicByte)
        {
            throw new ProtobufSerdeException(SerdeErrorKind.BadMagicByte, $"Unknown magic byte {frame[0]}: expected 0.");
        }

        if (frame.Length < PrefixLength + 1)
        {
            throw new ProtobufSerdeException(SerdeErrorKind.Truncated, $"Record of {frame.Length} bytes ends inside Confluent's frame header.");
        }

        schemaId = BinaryPrimitives.ReadInt32BigEndian(frame[1..]);
        var offset = PrefixLength;
        var count = ReadVarint(frame, ref offset, "message-index count");
        if (count == 0)
        {
            indexes[0] = 0;
            indexCount = 1;
            return offset;
        }

        if (count < 0 || count > MaxIndexDepth)
        {
            throw new ProtobufSerdeException(SerdeErrorKind.MessageIndexOutOfRange, $"Message-index count {count} is outside 0..{MaxIndexDepth}.");
        }

        for (var i = 0; i < count; i++)
        {
            indexes[i] = ReadVarint(frame, ref offset, "message index");
            if (indexes[i] < 0)
            {
                throw new ProtobufSerdeException(SerdeErrorKind.MessageIndexOutOfRange, $"Negative message index {indexes[i]}.");
            }
        }

        indexCount = count;
        return offset;
    }

    private static int ReadVarint(ReadOnlySpan<byte> frame, ref int offset, string what)
    {
        if (ZigZagVarint.TryRead(frame[offset..], out var value, out var consumed, out var overflow))
        {
            offset += consumed;
            return value;
        }

        throw overflow
            ? new ProtobufSerdeException(SerdeErrorKind.MessageIndexOutOfRange, $"The {what} varint at byte {offset} runs past 32 bits.")
            : new ProtobufSerdeException(SerdeErrorKind.Truncated, $"Record ends inside the {what} varint at byte {offset}.");
    }

    private static bool IsDefault(ReadOnlySpan<int> indexes) => indexes.Length == 1 && indexes[0] == 0;
}

using System.Buffers.Binary;

namespace Streaming.Processing.CountingApp;

/// <summary>An input record: an id unique per key (consecutive, like an aggregate trade id) and an amount. 16 bytes, big-endian.</summary>
public readonly record struct CountingRecord(long Id, long Amount)
{
    public byte[] ToBytes()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, Id);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), Amount);
        return bytes;
    }

    public static CountingRecord Parse(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 16
            ? new(BinaryPrimitives.ReadInt64BigEndian(bytes), BinaryPrimitives.ReadInt64BigEndian(bytes[8..]))
            : throw new FormatException($"A counting record has 16 bytes, not {bytes.Length}.");
}

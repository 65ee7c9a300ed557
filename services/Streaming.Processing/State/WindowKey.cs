using System.Buffers.Binary;

namespace Streaming.Processing.State;

/// <summary>A window store's entry key: the record key and the window start (Unix ms).</summary>
internal readonly record struct WindowKey<TKey>(TKey Key, long Start);

/// <summary>Changelog bytes of a window key: the key's bytes, then the start as 8 big-endian bytes (Kafka Streams' layout).</summary>
internal sealed class WindowKeySerde<TKey>(IStateSerde<TKey> keySerde) : IStateSerde<WindowKey<TKey>>
{
    public byte[] Serialize(WindowKey<TKey> value)
    {
        var key = keySerde.Serialize(value.Key);
        var bytes = new byte[key.Length + 8];
        key.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), value.Start);
        return bytes;
    }

    public WindowKey<TKey> Deserialize(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 8
            ? new(keySerde.Deserialize(bytes[..^8]), BinaryPrimitives.ReadInt64BigEndian(bytes[^8..]))
            : throw new FormatException($"A window key has at least 8 bytes, not {bytes.Length}.");
}

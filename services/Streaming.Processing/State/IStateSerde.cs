using System.Text;

namespace Streaming.Processing.State;

/// <summary>How a store's keys or values become changelog and snapshot bytes. Must be deterministic and round-trip exactly.</summary>
public interface IStateSerde<T>
{
    byte[] Serialize(T value);

    T Deserialize(ReadOnlySpan<byte> bytes);
}

/// <summary>The serdes most stores need.</summary>
public static class StateSerdes
{
    public static IStateSerde<string> Utf8 { get; } = new Utf8Serde();

    public static IStateSerde<long> BigEndianLong { get; } = new Int64Serde();

    private sealed class Utf8Serde : IStateSerde<string>
    {
        public byte[] Serialize(string value) => Encoding.UTF8.GetBytes(value);

        public string Deserialize(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
    }

    private sealed class Int64Serde : IStateSerde<long>
    {
        public byte[] Serialize(long value) => Runtime.ProcessingHeaders.EncodeInt64(value);

        public long Deserialize(ReadOnlySpan<byte> bytes) =>
            bytes.Length == 8
                ? System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(bytes)
                : throw new FormatException($"An int64 state value has 8 bytes, not {bytes.Length}.");
    }
}

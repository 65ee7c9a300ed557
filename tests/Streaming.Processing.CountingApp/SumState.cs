using System.Buffers.Binary;
using Streaming.Processing.Idempotence;
using Streaming.Processing.State;

namespace Streaming.Processing.CountingApp;

/// <summary>Per key: the ids counted (so a repeat is recognised), their sum and count, and the output revision.</summary>
public sealed class SumState
{
    public SequenceTracker Seen { get; init; } = new();

    public long Total { get; set; }

    public long Count { get; set; }

    public long Revision { get; set; }

    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"total={Total};count={Count}");
}

/// <summary>Total, count, revision (8 bytes each, big-endian), then the tracker's own encoding.</summary>
public sealed class SumStateSerde : IStateSerde<SumState>
{
    public byte[] Serialize(SumState value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var seen = value.Seen.ToBytes();
        var bytes = new byte[24 + seen.Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value.Total);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(8), value.Count);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(16), value.Revision);
        seen.CopyTo(bytes, 24);
        return bytes;
    }

    public SumState Deserialize(ReadOnlySpan<byte> bytes) => new()
    {
        Total = BinaryPrimitives.ReadInt64BigEndian(bytes),
        Count = BinaryPrimitives.ReadInt64BigEndian(bytes[8..]),
        Revision = BinaryPrimitives.ReadInt64BigEndian(bytes[16..]),
        Seen = SequenceTracker.ReadFrom(bytes[24..]),
    };
}

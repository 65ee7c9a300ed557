using System.Buffers.Binary;
using System.Text;
using Streaming.Processing.State;
using Streaming.Processing.Tasks;
using static Streaming.Processing.Tests.State.Snapshots;

namespace Streaming.Processing.Tests.State;

public sealed class SnapshotCodecTests
{
    [Fact]
    public void Encode_ThenDecode_RoundTripsEveryField()
    {
        var snapshot = Small(partition: 11, ownerEpoch: long.MaxValue);

        var encoded = SnapshotCodec.Encode(snapshot);

        Assert.Equal(SnapshotCodec.GetEncodedLength(snapshot), encoded.Length);
        Assert.True(SnapshotCodec.TryDecode(encoded, out var decoded, out var reason), reason);
        AssertEqual(snapshot, decoded);
    }

    [Fact]
    public void Encode_LayoutStartsWithMagicVersionAndLength()
    {
        var encoded = SnapshotCodec.Encode(Minimal());

        Assert.Equal("SPSN"u8.ToArray(), encoded[..4]);
        Assert.Equal(1, BinaryPrimitives.ReadInt32LittleEndian(encoded.AsSpan(SnapshotCodec.VersionOffset)));
        Assert.Equal(encoded.Length, BinaryPrimitives.ReadInt64LittleEndian(encoded.AsSpan(SnapshotCodec.LengthOffset)));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(encoded.AsSpan(SnapshotCodec.PartitionOffset)));
        Assert.Equal(76 + SnapshotCodec.ChecksumSize, encoded.Length);
    }

    [Fact]
    public void Encode_NoStores_IsTheMinimumLengthAndRoundTrips()
    {
        var snapshot = new TaskSnapshot(new TaskId(0), 0, []);

        var encoded = SnapshotCodec.Encode(snapshot);

        Assert.Equal(SnapshotCodec.MinimumLength, encoded.Length);
        Assert.True(SnapshotCodec.TryDecode(encoded, out var decoded, out _));
        AssertEqual(snapshot, decoded);
    }

    [Fact]
    public void Encode_EmptyStoresEmptyKeysValuesAndLargeEntries_RoundTrip()
    {
        // Larger than the 64 KiB write buffer: values written in chunks, the hash computed incrementally, a store name
        // longer than the buffer, non-ASCII text.
        var large = new byte[3 * 1024 * 1024 + 17];
        new Random(42).NextBytes(large);
        var snapshot = new TaskSnapshot(new TaskId(int.MaxValue), -5,
        [
            new StoreSnapshot("empty", "topic-empty", 0, 0, long.MinValue, []),
            new StoreSnapshot("blank values", "topic-blank", 1, long.MaxValue, 0, [new([], []), Entry("k", "")]),
            new StoreSnapshot(new string('n', 70_000), "tópic-ünïcode-€", 2, 99, 3,
                [new(large, Bytes("small")), new(Bytes("big-value"), large), Entry("after", "large")]),
        ]);

        var encoded = SnapshotCodec.Encode(snapshot);

        Assert.Equal(SnapshotCodec.GetEncodedLength(snapshot), encoded.Length);
        Assert.True(SnapshotCodec.TryDecode(encoded, out var decoded, out var reason), reason);
        AssertEqual(snapshot, decoded);
    }

    [Fact]
    public void Encode_ToStream_WritesTheSameBytes()
    {
        var snapshot = Small();
        using var stream = new MemoryStream();

        SnapshotCodec.Encode(snapshot, stream, SnapshotCodec.GetEncodedLength(snapshot));

        Assert.Equal(SnapshotCodec.Encode(snapshot), stream.ToArray());
    }

    [Fact]
    public void Decode_UnknownVersion_SaysWhichVersion()
    {
        var encoded = SnapshotCodec.Encode(Minimal());
        BinaryPrimitives.WriteInt32LittleEndian(encoded.AsSpan(SnapshotCodec.VersionOffset), 9);

        Assert.False(SnapshotCodec.TryDecode(encoded, out var snapshot, out var reason));
        Assert.Null(snapshot);
        Assert.Equal("unknown format version 9", reason);
    }

    [Fact]
    public void Decode_BadMagic_IsRejected()
    {
        Assert.False(SnapshotCodec.TryDecode(Encoding.ASCII.GetBytes("{\"not\": \"a snapshot at all, just some json\"}"), out _, out var reason));
        Assert.Equal("bad magic: not a snapshot file", reason);
    }

    [Fact]
    public void Decode_TrailingBytes_IsRejected()
    {
        var encoded = SnapshotCodec.Encode(Minimal());

        Assert.False(SnapshotCodec.TryDecode([.. encoded, 0], out _, out var reason));
        Assert.Equal("1 unexpected bytes after the declared length 108", reason);
    }

    [Fact]
    public void Decode_ChecksumMismatch_IsRejected()
    {
        var encoded = SnapshotCodec.Encode(Minimal());
        encoded[Offsets.Name] ^= 0x01;

        Assert.False(SnapshotCodec.TryDecode(encoded, out _, out var reason));
        Assert.Equal("checksum mismatch", reason);
    }

    /// <summary>Lengths and counts a faulty encoder could write with a valid checksum: rejected before allocating.</summary>
    [Theory]
    [InlineData(Offsets.StoreCount, int.MaxValue, "store count 2147483647 does not fit in the remaining 44 bytes")]
    [InlineData(Offsets.StoreCount, -1, "store count -1 does not fit")]
    [InlineData(Offsets.StoreCount, 0, "44 unparsed bytes after the last store")]
    [InlineData(Offsets.NameLength, int.MaxValue, "store #0: name length 2147483647 exceeds the remaining")]
    [InlineData(Offsets.NameLength, -1, "store #0: name length -1 exceeds the remaining")]
    [InlineData(Offsets.NameLength, 0, "store #0: empty name")]
    [InlineData(Offsets.TopicLength, 1_000_000, "store 's': changelog topic length 1000000 exceeds the remaining")]
    [InlineData(Offsets.Partition, -2, "store 's': invalid changelog position 't'[-2]@10")]
    [InlineData(Offsets.EntryCount, int.MaxValue, "store 's': entry count 2147483647 does not fit in the remaining 10 bytes")]
    [InlineData(Offsets.EntryCount, 2, "store 's': entry count 2 does not fit in the remaining 10 bytes")]
    [InlineData(Offsets.EntryCount, 0, "10 unparsed bytes after the last store")]
    [InlineData(Offsets.KeyLength, int.MaxValue, "store 's': entry #0 key length 2147483647 exceeds the remaining 6 bytes")]
    [InlineData(Offsets.KeyLength, int.MinValue, "store 's': entry #0 key length -2147483648 exceeds the remaining 6 bytes")]
    [InlineData(Offsets.ValueLength, 2, "store 's': entry #0 value length 2 exceeds the remaining 1 bytes")]
    [InlineData(SnapshotCodec.PartitionOffset, -3, "negative task partition -3")]
    public void Decode_ForgedFieldWithValidChecksum_IsRejectedPrecisely(int offset, int value, string expectedReason)
    {
        var forged = ForgeInt32(SnapshotCodec.Encode(Minimal()), offset, value);

        Assert.False(SnapshotCodec.TryDecode(forged, out var snapshot, out var reason));
        Assert.Null(snapshot);
        Assert.StartsWith(expectedReason, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_InvalidUtf8NameWithValidChecksum_IsRejected()
    {
        var forged = SnapshotCodec.Encode(Minimal());
        forged[Offsets.Name] = 0xFF;

        Assert.False(SnapshotCodec.TryDecode(Rehash(forged), out _, out var reason));
        Assert.Equal("store #0: name is not valid UTF-8", reason);
    }

    [Fact]
    public void Decode_DuplicateStoreWithValidChecksum_IsRejected()
    {
        var store = new StoreSnapshot("s", "t", 0, 0, 0, []);
        var forged = SnapshotCodec.Encode(new TaskSnapshot(new TaskId(0), 0, [store with { StoreName = "x" }, store]));
        Assert.Equal((byte)'x', forged[SnapshotCodec.HeaderSize + 4]);
        forged[SnapshotCodec.HeaderSize + 4] = (byte)'s';

        Assert.False(SnapshotCodec.TryDecode(Rehash(forged), out _, out var reason));
        Assert.Equal("store 's' appears twice", reason);
    }

    private static readonly (TaskSnapshot Snapshot, string Message)[] InvalidSnapshots =
    [
        (new TaskSnapshot(new TaskId(-1), 0, []), "negative partition"),
        (new TaskSnapshot(new TaskId(0), 0, [new StoreSnapshot("", "t", 0, 0, 0, [])]), "has no name"),
        (new TaskSnapshot(new TaskId(0), 0, [new StoreSnapshot("s", "", 0, 0, 0, [])]), "has no changelog topic"),
        (new TaskSnapshot(new TaskId(0), 0, [new StoreSnapshot("s", "t", 0, -1, 0, [])]), "negative partition (0) or next offset (-1)"),
        (new TaskSnapshot(new TaskId(0), 0, [new StoreSnapshot("s", "t", 0, 0, 0, []), new StoreSnapshot("s", "u", 0, 0, 0, [])]), "appears twice"),
        (new TaskSnapshot(new TaskId(0), 0, [new StoreSnapshot("s", "t", 0, 0, 0, [new(null!, [])])]), "null key or value"),
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Encode_InvalidSnapshot_ThrowsArgumentException(int index)
    {
        var (snapshot, expectedMessage) = InvalidSnapshots[index];

        var exception = Assert.Throws<ArgumentException>(() => SnapshotCodec.Encode(snapshot));

        Assert.Contains(expectedMessage, exception.Message, StringComparison.Ordinal);
    }
}

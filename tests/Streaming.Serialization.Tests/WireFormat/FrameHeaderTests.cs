using Streaming.Serialization.Tests.Messages;
using Streaming.Serialization.WireFormat;

namespace Streaming.Serialization.Tests.WireFormat;

public sealed class FrameHeaderTests
{
    [Fact]
    public void Write_TopLevelFirstMessage_IsMagicIdBigEndianAndSingleZero()
    {
        var bytes = ConfluentProtobufFrame.ToArray(0x01020304, Samples.Heartbeat(5));

        Assert.Equal([0, 1, 2, 3, 4, 0, 0x08, 5], bytes);
    }

    [Fact]
    public void Write_NestedMessage_WritesZigZagCountThenIndexes()
    {
        var bytes = ConfluentProtobufFrame.ToArray(7, Samples.Venue());

        // Indexes [1, 0, 0]: count 3 -> zig-zag 6; 1 -> 2; 0 -> 0.
        Assert.Equal([0, 0, 0, 0, 7, 6, 2, 0, 0], bytes[..9]);
    }

    [Fact]
    public void Read_EveryDepth_RoundTripsMessageAndSchemaId()
    {
        Assert.Equal(Samples.Heartbeat(), ConfluentProtobufFrame.Read<Heartbeat>(ConfluentProtobufFrame.ToArray(1, Samples.Heartbeat()), out var a));
        Assert.Equal(Samples.Trade(), ConfluentProtobufFrame.Read<Trade>(ConfluentProtobufFrame.ToArray(2, Samples.Trade()), out var b));
        Assert.Equal(Samples.Venue(), ConfluentProtobufFrame.Read<Trade.Types.Fill.Types.Venue>(ConfluentProtobufFrame.ToArray(int.MaxValue, Samples.Venue()), out var c));
        Assert.Equal((1, 2, int.MaxValue), (a, b, c));
    }

    [Fact]
    public void Read_ExplicitSingleIndexZero_IsAcceptedLikeTheShortForm()
    {
        // Other writers may spell [0] out as count 1, index 0.
        byte[] frame = [0, 0, 0, 0, 9, 2, 0, 0x08, 1];

        Assert.Equal(1, ConfluentProtobufFrame.Read<Heartbeat>(frame, out _).Sequence);
    }

    [Fact]
    public void Write_BufferWriter_MatchesToArray()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        ConfluentProtobufFrame.Write(output, 3, Samples.Trade());

        Assert.Equal(ConfluentProtobufFrame.ToArray(3, Samples.Trade()), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void ZigZagVarint_RandomValues_RoundTrip()
    {
        var random = new Random(20260101);
        Span<byte> buffer = stackalloc byte[ZigZagVarint.MaxLength];
        int[] edges = [0, -1, 1, int.MinValue, int.MaxValue, 63, 64, -64, -65];
        foreach (var value in edges.Concat(Enumerable.Range(0, 10_000).Select(_ => random.Next(int.MinValue, int.MaxValue))))
        {
            var written = ZigZagVarint.Write(value, buffer);
            Assert.Equal(ZigZagVarint.Length(value), written);
            Assert.True(ZigZagVarint.TryRead(buffer[..written], out var read, out var consumed, out _));
            Assert.Equal((value, written), (read, consumed));
        }
    }
}

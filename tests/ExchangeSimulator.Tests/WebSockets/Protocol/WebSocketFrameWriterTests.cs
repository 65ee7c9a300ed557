using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Unicode;
using ExchangeSimulator.WebSockets.Protocol;

namespace ExchangeSimulator.Tests.WebSockets.Protocol;

/// <summary>Exact bytes against RFC 6455's examples (§5.7) and the length encodings' boundaries.</summary>
public sealed class WebSocketFrameWriterTests
{
    [Theory]
    [InlineData(0L, 2)]
    [InlineData(125L, 2)]
    [InlineData(126L, 4)]
    [InlineData(65_535L, 4)]
    [InlineData(65_536L, 10)]
    [InlineData(long.MaxValue, 10)]
    public void HeaderLength_FollowsTheLengthEncoding(long payloadLength, int expected) =>
        Assert.Equal(expected, WebSocketFrameWriter.HeaderLength(payloadLength));

    [Fact]
    public void HeaderLength_Negative_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WebSocketFrameWriter.HeaderLength(-1));

    [Theory]
    [InlineData(WebSocketOpcode.Text, 5L, true, new byte[] { 0x81, 0x05 })]
    [InlineData(WebSocketOpcode.Binary, 0L, true, new byte[] { 0x82, 0x00 })]
    [InlineData(WebSocketOpcode.Text, 3L, false, new byte[] { 0x01, 0x03 })]
    [InlineData(WebSocketOpcode.Continuation, 125L, true, new byte[] { 0x80, 0x7D })]
    [InlineData(WebSocketOpcode.Binary, 126L, true, new byte[] { 0x82, 0x7E, 0x00, 0x7E })]
    [InlineData(WebSocketOpcode.Binary, 256L, true, new byte[] { 0x82, 0x7E, 0x01, 0x00 })]
    [InlineData(WebSocketOpcode.Binary, 65_535L, true, new byte[] { 0x82, 0x7E, 0xFF, 0xFF })]
    [InlineData(WebSocketOpcode.Binary, 65_536L, true, new byte[] { 0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00 })]
    [InlineData(WebSocketOpcode.Ping, 0L, true, new byte[] { 0x89, 0x00 })]
    [InlineData(WebSocketOpcode.Pong, 1L, true, new byte[] { 0x8A, 0x01 })]
    [InlineData(WebSocketOpcode.Close, 2L, true, new byte[] { 0x88, 0x02 })]
    public void WriteHeader_WritesUnmaskedHeader(WebSocketOpcode opcode, long length, bool fin, byte[] expected)
    {
        var output = new ArrayBufferWriter<byte>();

        WebSocketFrameWriter.WriteHeader(output, opcode, length, fin);

        Assert.Equal(expected, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteFrame_RfcSingleFrameUnmaskedText()
    {
        var output = new ArrayBufferWriter<byte>();

        WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Text, "Hello"u8);

        Assert.Equal([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f], output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteFrame_RfcFragmentedUnmaskedText()
    {
        var output = new ArrayBufferWriter<byte>();

        WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Text, "Hel"u8, fin: false);
        WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Continuation, "lo"u8);

        Assert.Equal([0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f], output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteMaskedFrame_RfcSingleFrameMaskedText()
    {
        var output = new ArrayBufferWriter<byte>();

        WebSocketFrameWriter.WriteMaskedFrame(output, WebSocketOpcode.Text, "Hello"u8, 0x37FA213D);

        Assert.Equal([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58], output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void WriteMaskedFrame_OutputInSmallSpans_MasksLikeOneSpan(int chunk)
    {
        var payload = new byte[1_000];
        new Random(1234).NextBytes(payload);
        var whole = new ArrayBufferWriter<byte>();
        var pieces = new SmallSpanBufferWriter(chunk);

        WebSocketFrameWriter.WriteMaskedFrame(whole, WebSocketOpcode.Binary, payload, 0xA1B2C3D4);
        WebSocketFrameWriter.WriteMaskedFrame(pieces, WebSocketOpcode.Binary, payload, 0xA1B2C3D4);

        Assert.Equal(whole.WrittenSpan.ToArray(), pieces.WrittenSpan.ToArray());
        var unmasked = whole.WrittenSpan[8..].ToArray();
        WebSocketMask.Apply(unmasked, BitConverter.ToUInt32(whole.WrittenSpan.Slice(4, 4)), 0);
        Assert.Equal(payload, unmasked);
    }

    [Fact]
    public void WriteClose_StatusThenReason()
    {
        var output = new ArrayBufferWriter<byte>();

        WebSocketFrameWriter.WriteClose(output, WebSocketCloseStatus.NormalClosure, "bye");

        Assert.Equal([0x88, 0x05, 0x03, 0xE8, (byte)'b', (byte)'y', (byte)'e'], output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteClose_NoReason_IsStatusOnly()
    {
        var output = new ArrayBufferWriter<byte>();

        WebSocketFrameWriter.WriteClose(output, WebSocketCloseStatus.PolicyViolation, null);

        Assert.Equal([0x88, 0x02, 0x03, 0xF0], output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteClose_EmptyStatus_HasNoPayload()
    {
        var output = new ArrayBufferWriter<byte>();

        WebSocketFrameWriter.WriteClose(output, WebSocketCloseStatus.Empty, "ignored");

        Assert.Equal([0x88, 0x00], output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData("a", 200, 123)]
    [InlineData("€", 60, 123)]
    [InlineData("é", 70, 122)]
    [InlineData("😀", 40, 120)]
    [InlineData("x€", 40, 121)]
    public void WriteClose_LongReason_IsCutAtACharacterBoundary(string unit, int repeat, int expectedReasonBytes)
    {
        var reason = new StringBuilder().Insert(0, unit, repeat).ToString();
        var output = new ArrayBufferWriter<byte>();

        WebSocketFrameWriter.WriteClose(output, WebSocketCloseStatus.InternalServerError, reason);

        var frame = output.WrittenSpan;
        Assert.Equal(2 + 2 + expectedReasonBytes, frame.Length);
        Assert.Equal(2 + expectedReasonBytes, frame[1]);
        var reasonBytes = frame[4..];
        Assert.True(Utf8.IsValid(reasonBytes));
        Assert.StartsWith(Encoding.UTF8.GetString(reasonBytes), reason, StringComparison.Ordinal);
        Assert.Equal((WebSocketCloseStatus.InternalServerError, Encoding.UTF8.GetString(reasonBytes)), WebSocketCloseFrame.Parse(frame[2..]));
    }

    [Fact]
    public void WriteHeader_AnnouncesLengthWithoutPayload_ForFaultInjection()
    {
        var output = new ArrayBufferWriter<byte>();

        WebSocketFrameWriter.WriteHeader(output, WebSocketOpcode.Binary, 1_000);
        output.Write("short"u8);

        Assert.Equal(4 + 5, output.WrittenCount);
    }
}

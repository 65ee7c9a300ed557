using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using ExchangeSimulator.WebSockets.Protocol;

namespace ExchangeSimulator.Tests.WebSockets.Protocol;

/// <summary>Every rule the reader enforces, on hand-built frames, and the edges that must still pass.</summary>
public sealed class WebSocketFrameReaderValidationTests
{
    public static TheoryData<string, byte[], WebSocketCloseStatus> Violations()
    {
        var data = new TheoryData<string, byte[], WebSocketCloseStatus>
        {
            { "unmasked frame", Frames.Unmasked(WebSocketOpcode.Text, "hi"u8), WebSocketCloseStatus.ProtocolError },
            { "RSV1", Frames.Raw(0x80 | 0x40 | 0x02, "x"u8), WebSocketCloseStatus.ProtocolError },
            { "RSV2", Frames.Raw(0x80 | 0x20 | 0x02, "x"u8), WebSocketCloseStatus.ProtocolError },
            { "RSV3", Frames.Raw(0x80 | 0x10 | 0x01, "x"u8), WebSocketCloseStatus.ProtocolError },
            { "fragmented ping", Frames.Masked(WebSocketOpcode.Ping, "x"u8, fin: false), WebSocketCloseStatus.ProtocolError },
            { "fragmented close", Frames.Masked(WebSocketOpcode.Close, [0x03, 0xE8], fin: false), WebSocketCloseStatus.ProtocolError },
            { "ping of 126 bytes", Frames.Masked(WebSocketOpcode.Ping, new byte[126]), WebSocketCloseStatus.ProtocolError },
            { "pong of 200 bytes", Frames.Masked(WebSocketOpcode.Pong, new byte[200]), WebSocketCloseStatus.ProtocolError },
            { "close of 126 bytes", Frames.Masked(WebSocketOpcode.Close, Close(1000, new string('a', 124))), WebSocketCloseStatus.ProtocolError },
            { "continuation first", Frames.Masked(WebSocketOpcode.Continuation, "x"u8), WebSocketCloseStatus.ProtocolError },
            {
                "continuation after a finished message",
                Frames.Concat(Frames.Masked(WebSocketOpcode.Text, "a"u8), Frames.Masked(WebSocketOpcode.Continuation, "b"u8)),
                WebSocketCloseStatus.ProtocolError
            },
            {
                "text while a text message is open",
                Frames.Concat(Frames.Masked(WebSocketOpcode.Text, "a"u8, fin: false), Frames.Masked(WebSocketOpcode.Text, "b"u8)),
                WebSocketCloseStatus.ProtocolError
            },
            {
                "binary while a text message is open",
                Frames.Concat(Frames.Masked(WebSocketOpcode.Text, "a"u8, fin: false), Frames.Masked(WebSocketOpcode.Binary, "b"u8)),
                WebSocketCloseStatus.ProtocolError
            },
            {
                "text while a binary message is open",
                Frames.Concat(Frames.Masked(WebSocketOpcode.Binary, "a"u8, fin: false), Frames.Masked(WebSocketOpcode.Continuation, "b"u8, fin: false), Frames.Masked(WebSocketOpcode.Text, "c"u8)),
                WebSocketCloseStatus.ProtocolError
            },
            { "64-bit length with the top bit set", [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4], WebSocketCloseStatus.ProtocolError },
            { "64-bit length of 2^64-1", [0x82, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4], WebSocketCloseStatus.ProtocolError },
            { "text 0xFF", Frames.Masked(WebSocketOpcode.Text, [0x61, 0xFF]), WebSocketCloseStatus.InvalidPayloadData },
            { "text overlong NUL", Frames.Masked(WebSocketOpcode.Text, [0xC0, 0x80]), WebSocketCloseStatus.InvalidPayloadData },
            { "text UTF-16 surrogate", Frames.Masked(WebSocketOpcode.Text, [0xED, 0xA0, 0x80]), WebSocketCloseStatus.InvalidPayloadData },
            { "text above U+10FFFF", Frames.Masked(WebSocketOpcode.Text, [0xF4, 0x90, 0x80, 0x80]), WebSocketCloseStatus.InvalidPayloadData },
            { "text ends inside a character", Frames.Masked(WebSocketOpcode.Text, [0x61, 0xE2, 0x82]), WebSocketCloseStatus.InvalidPayloadData },
            {
                "fragmented text ends inside a character",
                Frames.Concat(Frames.Masked(WebSocketOpcode.Text, [0x61, 0xE2], fin: false), Frames.Masked(WebSocketOpcode.Continuation, [0x82])),
                WebSocketCloseStatus.InvalidPayloadData
            },
            { "close of one byte", Frames.Masked(WebSocketOpcode.Close, [0x03]), WebSocketCloseStatus.ProtocolError },
            { "close reason not UTF-8", Frames.Masked(WebSocketOpcode.Close, [0x03, 0xE8, 0x61, 0xFF]), WebSocketCloseStatus.InvalidPayloadData },
        };
        foreach (var opcode in new byte[] { 3, 4, 5, 6, 7, 11, 12, 13, 14, 15 })
        {
            data.Add($"opcode {opcode}", Frames.Raw((byte)(0x80 | opcode), []), WebSocketCloseStatus.ProtocolError);
        }

        foreach (var code in new ushort[] { 0, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016, 2000, 2999, 5000, 65535 })
        {
            data.Add($"close code {code}", Frames.Masked(WebSocketOpcode.Close, Close(code, "")), WebSocketCloseStatus.ProtocolError);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task Violation_ThrowsWithCloseStatus(string rule, byte[] bytes, WebSocketCloseStatus expected)
    {
        var (reader, _) = await Frames.ReaderOverAsync(bytes);
        using (reader)
        {
            var error = await Assert.ThrowsAsync<WebSocketProtocolException>(() => Frames.ReadAllAsync(reader));

            Assert.True(expected == error.CloseStatus, $"{rule}: {error.CloseStatus} ({error.Message})");
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await reader.ReadAsync(TestContext.Current.CancellationToken));
        }
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1002)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1008)]
    [InlineData(1009)]
    [InlineData(1010)]
    [InlineData(1011)]
    [InlineData(3000)]
    [InlineData(4000)]
    [InlineData(4999)]
    public async Task Close_AllowedCode_IsReturnedAndParses(int code)
    {
        var (reader, _) = await Frames.ReaderOverAsync(Frames.Masked(WebSocketOpcode.Close, Close((ushort)code, "bye ✓")));
        using (reader)
        {
            var messages = await Frames.ReadAllAsync(reader);

            var (opcode, payload) = Assert.Single(messages);
            Assert.Equal(WebSocketOpcode.Close, opcode);
            Assert.Equal(((WebSocketCloseStatus)code, "bye ✓"), WebSocketCloseFrame.Parse(payload));
        }
    }

    [Fact]
    public async Task Close_EmptyPayload_ParsesToNoStatus()
    {
        var (reader, _) = await Frames.ReaderOverAsync(Frames.Masked(WebSocketOpcode.Close, []));
        using (reader)
        {
            var (opcode, payload) = Assert.Single(await Frames.ReadAllAsync(reader));

            Assert.Equal(WebSocketOpcode.Close, opcode);
            Assert.Equal(((WebSocketCloseStatus?)null, ""), WebSocketCloseFrame.Parse(payload));
        }
    }

    [Fact]
    public async Task ControlFrames_OfExactly125Bytes_AreAccepted()
    {
        var ping = new byte[125];
        new Random(1234).NextBytes(ping);
        var bytes = Frames.Concat(
            Frames.Masked(WebSocketOpcode.Ping, ping),
            Frames.Masked(WebSocketOpcode.Pong, ping),
            Frames.Masked(WebSocketOpcode.Close, Close(1000, new string('r', 123))));
        var (reader, _) = await Frames.ReaderOverAsync(bytes);
        using (reader)
        {
            var messages = await Frames.ReadAllAsync(reader);

            Assert.Equal(3, messages.Count);
            Assert.Equal(ping, messages[0].Payload);
            Assert.Equal(ping, messages[1].Payload);
            Assert.Equal(125, messages[2].Payload.Length);
        }
    }

    [Fact]
    public async Task ControlFrames_BetweenFragments_ComeFirstAndMessageStaysWhole()
    {
        var bytes = Frames.Concat(
            Frames.Masked(WebSocketOpcode.Text, "Hel"u8, fin: false),
            Frames.Masked(WebSocketOpcode.Ping, "p1"u8),
            Frames.Masked(WebSocketOpcode.Continuation, "lo "u8, fin: false),
            Frames.Masked(WebSocketOpcode.Pong, "p2"u8),
            Frames.Masked(WebSocketOpcode.Continuation, [], fin: false),
            Frames.Masked(WebSocketOpcode.Ping, []),
            Frames.Masked(WebSocketOpcode.Continuation, "w€"u8),
            Frames.Masked(WebSocketOpcode.Binary, [1, 2, 3]));
        var (reader, _) = await Frames.ReaderOverAsync(bytes);
        using (reader)
        {
            var messages = await Frames.ReadAllAsync(reader);

            Assert.Equal(
                Frames.Show(
                [
                    (WebSocketOpcode.Ping, "p1"u8.ToArray()),
                    (WebSocketOpcode.Pong, "p2"u8.ToArray()),
                    (WebSocketOpcode.Ping, []),
                    (WebSocketOpcode.Text, "Hello w€"u8.ToArray()),
                    (WebSocketOpcode.Binary, [1, 2, 3]),
                ]),
                Frames.Show(messages));
        }
    }

    [Fact]
    public async Task Text_CharacterSplitAcrossFragments_IsValid()
    {
        var euro = "€"u8.ToArray();
        var bytes = Frames.Concat(
            Frames.Masked(WebSocketOpcode.Text, euro.AsSpan(0, 1), fin: false),
            Frames.Masked(WebSocketOpcode.Continuation, euro.AsSpan(1, 1), fin: false),
            Frames.Masked(WebSocketOpcode.Continuation, euro.AsSpan(2, 1)));
        var (reader, _) = await Frames.ReaderOverAsync(bytes);
        using (reader)
        {
            var (opcode, payload) = Assert.Single(await Frames.ReadAllAsync(reader));

            Assert.Equal(WebSocketOpcode.Text, opcode);
            Assert.Equal("€", Encoding.UTF8.GetString(payload));
        }
    }

    [Fact]
    public async Task Binary_InvalidUtf8_IsNotChecked()
    {
        var (reader, _) = await Frames.ReaderOverAsync(Frames.Masked(WebSocketOpcode.Binary, [0xFF, 0xC0, 0x80]));
        using (reader)
        {
            Assert.Equal([0xFF, 0xC0, 0x80], Assert.Single(await Frames.ReadAllAsync(reader)).Payload);
        }
    }

    [Fact]
    public async Task MessageOfExactlyMaxBytes_IsAccepted()
    {
        var bytes = Frames.Concat(
            Frames.Masked(WebSocketOpcode.Binary, new byte[6], fin: false),
            Frames.Masked(WebSocketOpcode.Continuation, new byte[4]),
            Frames.Masked(WebSocketOpcode.Text, "0123456789"u8),
            Frames.Masked(WebSocketOpcode.Ping, new byte[125]));
        var (reader, _) = await Frames.ReaderOverAsync(bytes, maxMessageBytes: 10);
        using (reader)
        {
            var messages = await Frames.ReadAllAsync(reader);

            Assert.Equal([10, 10, 125], messages.Select(m => m.Payload.Length));
        }
    }

    [Fact]
    public async Task SingleFrameOverMax_IsMessageTooBig()
    {
        var (reader, _) = await Frames.ReaderOverAsync(Frames.Masked(WebSocketOpcode.Binary, new byte[11]), maxMessageBytes: 10);
        using (reader)
        {
            var error = await Assert.ThrowsAsync<WebSocketProtocolException>(() => Frames.ReadAllAsync(reader));

            Assert.Equal(WebSocketCloseStatus.MessageTooBig, error.CloseStatus);
        }
    }

    [Fact]
    public async Task FragmentsOverMax_AreMessageTooBig()
    {
        var bytes = Frames.Concat(
            Frames.Masked(WebSocketOpcode.Text, "012345"u8, fin: false),
            Frames.Masked(WebSocketOpcode.Continuation, "6789"u8, fin: false),
            Frames.Masked(WebSocketOpcode.Continuation, "X"u8));
        var (reader, _) = await Frames.ReaderOverAsync(bytes, maxMessageBytes: 10);
        using (reader)
        {
            var error = await Assert.ThrowsAsync<WebSocketProtocolException>(() => Frames.ReadAllAsync(reader));

            Assert.Equal(WebSocketCloseStatus.MessageTooBig, error.CloseStatus);
        }
    }

    [Fact]
    public async Task OversizedHeader_IsRejectedBeforeThePayloadArrives()
    {
        // Only the header of a frame announcing 1 GB; the stream stays open, so waiting for the payload would hang.
        byte[] header = [0x82, 0xFF, 0, 0, 0, 0, 0x40, 0, 0, 0, 1, 2, 3, 4];
        var (reader, pipe) = await Frames.ReaderOverAsync(header, maxMessageBytes: 1 << 20, end: false);
        using (reader)
        {
            var error = await Assert.ThrowsAsync<WebSocketProtocolException>(
                async () => await reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

            Assert.Equal(WebSocketCloseStatus.MessageTooBig, error.CloseStatus);
            await pipe.Writer.CompleteAsync();
        }
    }

    [Fact]
    public async Task ViolationInFirstTwoBytes_IsReportedBeforeTheRestOfTheHeader()
    {
        // An unmasked frame's first two bytes, nothing more, and the stream stays open.
        var (reader, pipe) = await Frames.ReaderOverAsync([0x81, 0x7E], end: false);
        using (reader)
        {
            var error = await Assert.ThrowsAsync<WebSocketProtocolException>(
                async () => await reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

            Assert.Equal(WebSocketCloseStatus.ProtocolError, error.CloseStatus);
            await pipe.Writer.CompleteAsync();
        }
    }

    [Fact]
    public async Task NonMinimalLengthEncoding_IsAccepted()
    {
        // RFC 6455 asks senders for the minimal encoding; receivers commonly accept more, as we do.
        byte[] frame = [0x82, 0xFE, 0x00, 0x03, 0, 0, 0, 0, 7, 8, 9];
        var (reader, _) = await Frames.ReaderOverAsync(frame);
        using (reader)
        {
            Assert.Equal([7, 8, 9], Assert.Single(await Frames.ReadAllAsync(reader)).Payload);
        }
    }

    private static byte[] Close(ushort code, string reason)
    {
        var payload = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return payload;
    }
}

using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using ExchangeSimulator.WebSockets.Protocol;

namespace ExchangeSimulator.Tests.WebSockets.Protocol;

/// <summary>Reassembly, delivery in arbitrary pieces, and how the stream may end.</summary>
public sealed class WebSocketFrameReaderTests
{
    private static readonly string[] TextPieces = ["a", "Z", " ", "é", "€", "😀", "ß", "\n"];

    [Fact]
    public async Task RandomMessages_RandomFragmentsAndPieces_RoundTrip()
    {
        var random = new Random(1234);
        var stream = new ArrayBufferWriter<byte>();
        var expected = new List<(WebSocketOpcode, byte[])>();
        for (var i = 0; i < 400; i++)
        {
            AddRandomMessage(random, stream, expected);
        }

        // Default pipe options: the writer blocks past 64 KiB unread, so the reader must consume as it goes.
        var pipe = new Pipe();
        using var reader = new WebSocketFrameReader(pipe.Reader, 1 << 20);
        var pieces = new Random(1234 + 1);
        var delivery = Frames.DeliverInPiecesAsync(pipe.Writer, stream.WrittenSpan.ToArray(), () => pieces.Next(1, 5000));

        var messages = await Frames.ReadAllAsync(reader);
        await delivery;

        Assert.Equal(expected.Count, messages.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(Frames.Show(expected[i]), Frames.Show(messages[i]));
        }
    }

    [Fact]
    public async Task OneByteAtATime_StillParses()
    {
        var large = new byte[70_000];
        new Random(1234).NextBytes(large);
        var medium = new byte[300];
        new Random(99).NextBytes(medium);
        var bytes = Frames.Concat(
            Frames.Masked(WebSocketOpcode.Text, "héllo"u8),
            Frames.Masked(WebSocketOpcode.Ping, "ping"u8, mask: 0x01020304),
            Frames.Masked(WebSocketOpcode.Binary, medium.AsSpan(0, 100), fin: false, mask: 0xDEADBEEF),
            Frames.Masked(WebSocketOpcode.Pong, []),
            Frames.Masked(WebSocketOpcode.Continuation, medium.AsSpan(100), mask: 0),
            Frames.Masked(WebSocketOpcode.Binary, large, mask: 0xA1B2C3D4),
            Frames.Masked(WebSocketOpcode.Text, []),
            Frames.Masked(WebSocketOpcode.Close, [0x03, 0xE8, 0x6F, 0x6B]));
        var pipe = new Pipe();
        using var reader = new WebSocketFrameReader(pipe.Reader, 1 << 20);
        var delivery = Frames.DeliverInPiecesAsync(pipe.Writer, bytes, () => 1);

        var messages = await Frames.ReadAllAsync(reader);
        await delivery;

        Assert.Equal(
            Frames.Show(
            [
                (WebSocketOpcode.Text, "héllo"u8.ToArray()),
                (WebSocketOpcode.Ping, "ping"u8.ToArray()),
                (WebSocketOpcode.Pong, []),
                (WebSocketOpcode.Binary, medium),
                (WebSocketOpcode.Binary, large),
                (WebSocketOpcode.Text, []),
                (WebSocketOpcode.Close, [0x03, 0xE8, 0x6F, 0x6B]),
            ]),
            Frames.Show(messages));
    }

    [Fact]
    public async Task FrameLargerThanPipeThreshold_IsConsumedAsItArrives()
    {
        var payload = new byte[300_000];
        new Random(1234).NextBytes(payload);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 16_384, resumeWriterThreshold: 8_192));
        using var reader = new WebSocketFrameReader(pipe.Reader, 1 << 20);
        var delivery = Frames.DeliverInPiecesAsync(pipe.Writer, Frames.Masked(WebSocketOpcode.Binary, payload), () => 4096);

        var message = await reader.ReadAsync(TestContext.Current.CancellationToken).AsTask()
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await delivery;

        Assert.NotNull(message);
        Assert.Equal(payload, message.Value.Payload.ToArray());
    }

    [Fact]
    public async Task EmptyStream_ReturnsNull()
    {
        var (reader, _) = await Frames.ReaderOverAsync([]);
        using (reader)
        {
            Assert.Null(await reader.ReadAsync(TestContext.Current.CancellationToken));
            Assert.Null(await reader.ReadAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task EndAfterWholeFrames_ReturnsMessagesThenNull()
    {
        var bytes = Frames.Concat(Frames.Masked(WebSocketOpcode.Text, "one"u8), Frames.Masked(WebSocketOpcode.Binary, [2]));
        var (reader, _) = await Frames.ReaderOverAsync(bytes);
        using (reader)
        {
            Assert.Equal(WebSocketOpcode.Text, (await reader.ReadAsync(TestContext.Current.CancellationToken))?.Opcode);
            Assert.Equal(WebSocketOpcode.Binary, (await reader.ReadAsync(TestContext.Current.CancellationToken))?.Opcode);
            Assert.Null(await reader.ReadAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task EndBetweenFragments_IsAFrameBoundaryAndReturnsNull()
    {
        var (reader, _) = await Frames.ReaderOverAsync(Frames.Masked(WebSocketOpcode.Text, "par"u8, fin: false));
        using (reader)
        {
            Assert.Null(await reader.ReadAsync(TestContext.Current.CancellationToken));
        }
    }

    public static TheoryData<string, int> Truncations()
    {
        var frameLength = Frames.Masked(WebSocketOpcode.Binary, new byte[200]).Length;
        return new TheoryData<string, int>
        {
            { "after the first byte", 1 },
            { "inside the extended length", 3 },
            { "inside the mask key", 6 },
            { "right after the header", 8 },
            { "inside the payload", 100 },
            { "one byte short", frameLength - 1 },
        };
    }

    [Theory]
    [MemberData(nameof(Truncations))]
    public async Task EndMidFrame_ThrowsEndOfStream(string where, int keptBytes)
    {
        var whole = Frames.Concat(Frames.Masked(WebSocketOpcode.Text, "ok"u8), Frames.Masked(WebSocketOpcode.Binary, new byte[200]));
        var firstLength = Frames.Masked(WebSocketOpcode.Text, "ok"u8).Length;
        var (reader, _) = await Frames.ReaderOverAsync(whole[..(firstLength + keptBytes)]);
        using (reader)
        {
            Assert.Equal(WebSocketOpcode.Text, (await reader.ReadAsync(TestContext.Current.CancellationToken))?.Opcode);
            var error = await Record.ExceptionAsync(async () => await reader.ReadAsync(TestContext.Current.CancellationToken));

            Assert.True(error is EndOfStreamException, $"{where}: {error?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public async Task Payload_StaysValidUntilTheNextRead()
    {
        var bytes = Frames.Concat(
            Frames.Masked(WebSocketOpcode.Text, "first"u8),
            Frames.Masked(WebSocketOpcode.Binary, new byte[10_000]));
        var (reader, _) = await Frames.ReaderOverAsync(bytes);
        using (reader)
        {
            var first = await reader.ReadAsync(TestContext.Current.CancellationToken);

            Assert.Equal("first", Encoding.UTF8.GetString(first!.Value.Payload.Span));
            Assert.Equal(10_000, (await reader.ReadAsync(TestContext.Current.CancellationToken))!.Value.Payload.Length);
        }
    }

    /// <summary>
    /// One message as random frames: Text (random UTF-8, cut anywhere, even inside a character) or Binary, sized
    /// around the 125/126 and 65535/65536 length encodings now and then, split into up to five fragments with
    /// Pings and Pongs between them, each frame with its own mask key.
    /// </summary>
    private static void AddRandomMessage(Random random, ArrayBufferWriter<byte> stream, List<(WebSocketOpcode, byte[])> expected)
    {
        var size = random.Next(10) switch
        {
            < 5 => random.Next(0, 140),
            < 8 => random.Next(140, 5_000),
            8 => random.Next(65_530, 70_000),
            _ => random.Next(120, 130),
        };
        var text = random.Next(2) == 0;
        byte[] payload;
        if (text)
        {
            var builder = new StringBuilder();
            for (var bytes = 0; bytes < size;)
            {
                var piece = TextPieces[random.Next(TextPieces.Length)];
                builder.Append(piece);
                bytes += Encoding.UTF8.GetByteCount(piece);
            }

            payload = Encoding.UTF8.GetBytes(builder.ToString());
        }
        else
        {
            payload = new byte[size];
            random.NextBytes(payload);
        }

        var fragments = random.Next(1, 6);
        var cuts = new List<int> { 0, payload.Length };
        for (var i = 1; i < fragments; i++)
        {
            cuts.Add(random.Next(0, payload.Length + 1));
        }

        cuts.Sort();
        var opcode = text ? WebSocketOpcode.Text : WebSocketOpcode.Binary;
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var fin = i + 2 == cuts.Count;
            var frameOpcode = i == 0 ? opcode : WebSocketOpcode.Continuation;
            WebSocketFrameWriter.WriteMaskedFrame(stream, frameOpcode, payload.AsSpan(cuts[i], cuts[i + 1] - cuts[i]), (uint)random.NextInt64(0, 1L << 32), fin);
            if (fin)
            {
                // The reader yields things in the order their last frame arrives.
                expected.Add((opcode, payload));
            }

            if (random.Next(4) == 0)
            {
                var control = new byte[random.Next(0, 126)];
                random.NextBytes(control);
                var controlOpcode = random.Next(2) == 0 ? WebSocketOpcode.Ping : WebSocketOpcode.Pong;
                WebSocketFrameWriter.WriteMaskedFrame(stream, controlOpcode, control, (uint)random.NextInt64(0, 1L << 32));
                expected.Add((controlOpcode, control));
            }
        }
    }
}

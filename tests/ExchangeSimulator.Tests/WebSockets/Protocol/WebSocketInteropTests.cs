using System.Net.WebSockets;
using System.Text;
using ExchangeSimulator.WebSockets.Protocol;

namespace ExchangeSimulator.Tests.WebSockets.Protocol;

/// <summary>
/// Our server-side codec against .NET's own client WebSocket, an independent RFC 6455 implementation:
/// what it sends must come out of our reader intact, what our writer sends it must read.
/// </summary>
public sealed class WebSocketInteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(WebSocketMessageType.Text, 0)]
    [InlineData(WebSocketMessageType.Text, 5)]
    [InlineData(WebSocketMessageType.Text, 125)]
    [InlineData(WebSocketMessageType.Text, 126)]
    [InlineData(WebSocketMessageType.Text, 70_000)]
    [InlineData(WebSocketMessageType.Binary, 0)]
    [InlineData(WebSocketMessageType.Binary, 1)]
    [InlineData(WebSocketMessageType.Binary, 65_535)]
    [InlineData(WebSocketMessageType.Binary, 65_536)]
    [InlineData(WebSocketMessageType.Binary, 70_000)]
    public async Task ClientMessage_ComesOutOfReaderIntact(WebSocketMessageType type, int size)
    {
        await using var connection = new InMemoryConnection();
        var payload = Payload(type, size, seed: size);

        await connection.Client.SendAsync(payload, type, endOfMessage: true, Ct);
        var (opcode, received) = await connection.ReadAsync();

        Assert.Equal(type == WebSocketMessageType.Text ? WebSocketOpcode.Text : WebSocketOpcode.Binary, opcode);
        Assert.Equal(payload, received);
    }

    [Fact]
    public async Task ClientFragmentedMessage_IsReassembled()
    {
        await using var connection = new InMemoryConnection();

        await connection.Client.SendAsync("Hello, "u8.ToArray(), WebSocketMessageType.Text, endOfMessage: false, Ct);
        await connection.Client.SendAsync(Array.Empty<byte>(), WebSocketMessageType.Text, endOfMessage: false, Ct);
        await connection.Client.SendAsync("wörld"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, Ct);
        await connection.Client.SendAsync(new byte[] { 1, 2 }, WebSocketMessageType.Binary, endOfMessage: false, Ct);
        await connection.Client.SendAsync(new byte[] { 3 }, WebSocketMessageType.Binary, endOfMessage: true, Ct);

        Assert.Equal(Frames.Show((WebSocketOpcode.Text, "Hello, wörld"u8.ToArray())), Frames.Show(await connection.ReadAsync()));
        Assert.Equal(Frames.Show((WebSocketOpcode.Binary, [1, 2, 3])), Frames.Show(await connection.ReadAsync()));
    }

    [Fact]
    public async Task ClientRandomFragmentation_RoundTrips()
    {
        var random = new Random(1234);
        await using var connection = new InMemoryConnection();
        for (var i = 0; i < 150; i++)
        {
            var type = random.Next(2) == 0 ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
            var size = random.Next(4) == 0 ? random.Next(60_000, 140_000) : random.Next(0, 400);
            var payload = Payload(type, size, seed: i);
            var cuts = new List<int> { 0, payload.Length };
            for (var c = random.Next(0, 5); c > 0; c--)
            {
                cuts.Add(random.Next(0, payload.Length + 1));
            }

            cuts.Sort();
            for (var f = 0; f + 1 < cuts.Count; f++)
            {
                await connection.Client.SendAsync(payload.AsMemory(cuts[f], cuts[f + 1] - cuts[f]), type, endOfMessage: f + 2 == cuts.Count, Ct);
            }

            var (opcode, received) = await connection.ReadAsync();

            Assert.Equal(type == WebSocketMessageType.Text ? WebSocketOpcode.Text : WebSocketOpcode.Binary, opcode);
            Assert.Equal(payload, received);
        }
    }

    [Fact]
    public async Task ClientCloseOutput_ParsesToStatusAndReason()
    {
        await using var connection = new InMemoryConnection();

        await connection.Client.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "nope ✗", Ct);
        var (opcode, payload) = await connection.ReadAsync();

        Assert.Equal(WebSocketOpcode.Close, opcode);
        Assert.Equal((WebSocketCloseStatus.PolicyViolation, "nope ✗"), WebSocketCloseFrame.Parse(payload));
    }

    [Fact]
    public async Task ClientCloseHandshake_ServerEchoesClose_ClientEndsClosed()
    {
        await using var connection = new InMemoryConnection();

        var closing = connection.Client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Ct);
        var (opcode, payload) = await connection.ReadAsync();
        var (status, reason) = WebSocketCloseFrame.Parse(payload);
        WebSocketFrameWriter.WriteClose(connection.ServerOutput, status!.Value, reason);
        await connection.FlushAsync();
        await connection.ServerOutput.CompleteAsync();
        await closing;

        Assert.Equal(WebSocketOpcode.Close, opcode);
        Assert.Equal(WebSocketState.Closed, connection.Client.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, connection.Client.CloseStatus);
        Assert.Equal("done", connection.Client.CloseStatusDescription);
        Assert.Null(await connection.Reader.ReadAsync(Ct));
    }

    [Theory]
    [InlineData(WebSocketOpcode.Text, 0)]
    [InlineData(WebSocketOpcode.Text, 125)]
    [InlineData(WebSocketOpcode.Text, 126)]
    [InlineData(WebSocketOpcode.Text, 70_000)]
    [InlineData(WebSocketOpcode.Binary, 0)]
    [InlineData(WebSocketOpcode.Binary, 126)]
    [InlineData(WebSocketOpcode.Binary, 65_535)]
    [InlineData(WebSocketOpcode.Binary, 65_536)]
    public async Task ServerFrame_IsReadByClient(WebSocketOpcode opcode, int size)
    {
        await using var connection = new InMemoryConnection();
        var type = opcode == WebSocketOpcode.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
        var payload = Payload(type, size, seed: size);

        WebSocketFrameWriter.WriteFrame(connection.ServerOutput, opcode, payload);
        await connection.FlushAsync();
        var received = await connection.ReceiveOnClientAsync();

        Assert.Equal(type, received.Type);
        Assert.Equal(payload, received.Payload);
    }

    [Fact]
    public async Task ServerFragmentedFrames_AreReadByClientAsOneMessage()
    {
        await using var connection = new InMemoryConnection();
        var big = Payload(WebSocketMessageType.Binary, 70_000, seed: 3);

        WebSocketFrameWriter.WriteFrame(connection.ServerOutput, WebSocketOpcode.Text, "Hel"u8, fin: false);
        WebSocketFrameWriter.WriteFrame(connection.ServerOutput, WebSocketOpcode.Ping, "between"u8);
        WebSocketFrameWriter.WriteFrame(connection.ServerOutput, WebSocketOpcode.Continuation, "lo "u8, fin: false);
        WebSocketFrameWriter.WriteFrame(connection.ServerOutput, WebSocketOpcode.Continuation, "wörld"u8);
        WebSocketFrameWriter.WriteFrame(connection.ServerOutput, WebSocketOpcode.Binary, big.AsSpan(0, 200), fin: false);
        WebSocketFrameWriter.WriteFrame(connection.ServerOutput, WebSocketOpcode.Continuation, big.AsSpan(200));
        await connection.FlushAsync();

        var text = await connection.ReceiveOnClientAsync();
        var binary = await connection.ReceiveOnClientAsync();

        Assert.Equal((WebSocketMessageType.Text, "Hello wörld"), (text.Type, Encoding.UTF8.GetString(text.Payload)));
        Assert.Equal(WebSocketMessageType.Binary, binary.Type);
        Assert.Equal(big, binary.Payload);
        Assert.Equal(Frames.Show((WebSocketOpcode.Pong, "between"u8.ToArray())), Frames.Show(await connection.ReadAsync()));
    }

    [Fact]
    public async Task ServerPing_ClientAnswersPongWithSamePayload()
    {
        await using var connection = new InMemoryConnection();
        var ping = new byte[125];
        new Random(1234).NextBytes(ping);

        WebSocketFrameWriter.WriteFrame(connection.ServerOutput, WebSocketOpcode.Ping, ping);
        WebSocketFrameWriter.WriteFrame(connection.ServerOutput, WebSocketOpcode.Ping, []);
        // The client answers pings while it receives; a data message gives the receive something to return.
        WebSocketFrameWriter.WriteFrame(connection.ServerOutput, WebSocketOpcode.Text, "after"u8);
        await connection.FlushAsync();
        var received = await connection.ReceiveOnClientAsync();

        Assert.Equal("after", Encoding.UTF8.GetString(received.Payload));
        Assert.Equal(Frames.Show((WebSocketOpcode.Pong, ping)), Frames.Show(await connection.ReadAsync()));
        Assert.Equal(Frames.Show((WebSocketOpcode.Pong, [])), Frames.Show(await connection.ReadAsync()));
    }

    [Fact]
    public async Task ClientKeepAlivePing_IsSeenAndOurPongIsAccepted()
    {
        await using var connection = new InMemoryConnection(clientOptions: new WebSocketCreationOptions
        {
            IsServer = false,
            KeepAliveInterval = TimeSpan.FromMilliseconds(20),
            KeepAliveTimeout = TimeSpan.FromSeconds(60),
        });

        var (opcode, payload) = await connection.ReadAsync();
        WebSocketFrameWriter.WriteFrame(connection.ServerOutput, WebSocketOpcode.Pong, payload);
        WebSocketFrameWriter.WriteFrame(connection.ServerOutput, WebSocketOpcode.Text, "still here"u8);
        await connection.FlushAsync();
        var received = await connection.ReceiveOnClientAsync();

        Assert.Equal(WebSocketOpcode.Ping, opcode);
        Assert.NotEmpty(payload);
        Assert.Equal("still here", Encoding.UTF8.GetString(received.Payload));
        Assert.Equal(WebSocketState.Open, connection.Client.State);
    }

    [Fact]
    public async Task ServerClose_ClientSeesStatusAndReason_ThenAnswersClose()
    {
        await using var connection = new InMemoryConnection();

        WebSocketFrameWriter.WriteClose(connection.ServerOutput, WebSocketCloseStatus.EndpointUnavailable, "maintenance");
        await connection.FlushAsync();
        var received = await connection.ReceiveOnClientAsync();
        await connection.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ack", Ct);
        var (opcode, payload) = await connection.ReadAsync();

        Assert.Equal(WebSocketMessageType.Close, received.Type);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, received.CloseStatus);
        Assert.Equal("maintenance", received.CloseDescription);
        Assert.Equal(WebSocketOpcode.Close, opcode);
        Assert.Equal((WebSocketCloseStatus.NormalClosure, "ack"), WebSocketCloseFrame.Parse(payload));
    }

    [Fact]
    public async Task ServerClose_LongReason_ClientReadsTheTruncatedReason()
    {
        await using var connection = new InMemoryConnection();
        var reason = string.Concat(Enumerable.Repeat("ünïcödé ", 30));

        WebSocketFrameWriter.WriteClose(connection.ServerOutput, WebSocketCloseStatus.InternalServerError, reason);
        await connection.FlushAsync();
        var received = await connection.ReceiveOnClientAsync();

        Assert.Equal(WebSocketCloseStatus.InternalServerError, received.CloseStatus);
        Assert.NotNull(received.CloseDescription);
        Assert.True(Encoding.UTF8.GetByteCount(received.CloseDescription) <= 123);
        Assert.StartsWith(received.CloseDescription, reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaskedServerFrame_IsRejectedByClient()
    {
        // A check on the check: the client really validates, so the tests above mean something.
        await using var connection = new InMemoryConnection();

        WebSocketFrameWriter.WriteMaskedFrame(connection.ServerOutput, WebSocketOpcode.Text, "masked"u8, 0x01020304);
        await connection.FlushAsync();

        await Assert.ThrowsAsync<WebSocketException>(connection.ReceiveOnClientAsync);
    }

    /// <summary>Random bytes for Binary, random valid UTF-8 of exactly <paramref name="size"/> bytes for Text.</summary>
    private static byte[] Payload(WebSocketMessageType type, int size, int seed)
    {
        var random = new Random(1234 + seed);
        var payload = new byte[size];
        if (type == WebSocketMessageType.Binary)
        {
            random.NextBytes(payload);
            return payload;
        }

        var length = 0;
        while (length < size)
        {
            var rest = size - length;
            var piece = random.Next(3) switch
            {
                0 when rest >= 3 => "€"u8,
                1 when rest >= 2 => "ß"u8,
                _ => "abcdefghij"u8.Slice(random.Next(10), 1),
            };
            piece.CopyTo(payload.AsSpan(length));
            length += piece.Length;
        }

        return payload;
    }
}

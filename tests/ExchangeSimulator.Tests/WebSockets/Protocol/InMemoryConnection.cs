using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using ExchangeSimulator.WebSockets.Protocol;

namespace ExchangeSimulator.Tests.WebSockets.Protocol;

/// <summary>
/// .NET's own client WebSocket over two in-memory pipes, facing our server-side reader and writer: an
/// independent implementation of RFC 6455 to check the codec against. The pipes do not apply back-pressure,
/// so a test can write a large frame and flush before the other side reads it.
/// </summary>
internal sealed class InMemoryConnection : IAsyncDisposable
{
    private static readonly PipeOptions Unbounded = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0);

    private readonly Pipe _toServer = new(Unbounded);
    private readonly Pipe _toClient = new(Unbounded);
    private readonly DuplexPipeStream _clientStream;

    public InMemoryConnection(int maxMessageBytes = 1 << 20, WebSocketCreationOptions? clientOptions = null)
    {
        _clientStream = new DuplexPipeStream(_toClient.Reader, _toServer.Writer);
        Client = WebSocket.CreateFromStream(
            _clientStream,
            clientOptions ?? new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        Reader = new WebSocketFrameReader(_toServer.Reader, maxMessageBytes);
    }

    /// <summary>The independent peer.</summary>
    public WebSocket Client { get; }

    /// <summary>Our reader, over what the client sends.</summary>
    public WebSocketFrameReader Reader { get; }

    /// <summary>Where our writer's frames go; <see cref="FlushAsync"/> hands them to the client.</summary>
    public PipeWriter ServerOutput => _toClient.Writer;

    public ValueTask<FlushResult> FlushAsync() => ServerOutput.FlushAsync(TestContext.Current.CancellationToken);

    /// <summary>Reads the next message and copies its payload out of the reader's buffer.</summary>
    public async Task<(WebSocketOpcode Opcode, byte[] Payload)> ReadAsync()
    {
        var message = await Reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.NotNull(message);
        return (message.Value.Opcode, message.Value.Payload.ToArray());
    }

    /// <summary>Receives one whole message on the client side, however many frames or reads it takes.</summary>
    public async Task<ClientMessage> ReceiveOnClientAsync()
    {
        var buffer = new byte[4096];
        var stream = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await Client.ReceiveAsync(buffer.AsMemory(), TestContext.Current.CancellationToken);
            stream.Write(buffer.AsSpan(0, result.Count));
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new ClientMessage(WebSocketMessageType.Close, [], Client.CloseStatus, Client.CloseStatusDescription);
            }

            if (result.EndOfMessage)
            {
                return new ClientMessage(result.MessageType, stream.WrittenSpan.ToArray(), null, null);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _clientStream.DisposeAsync();
        Reader.Dispose();
        await _toServer.Reader.CompleteAsync();
        await _toClient.Writer.CompleteAsync();
    }
}

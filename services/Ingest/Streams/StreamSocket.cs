using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Ingest.Streams;

/// <summary>
/// One WebSocket connection to the exchange. The receive loop does the minimum: a <c>ReceiveAsync</c> is always
/// pending (ClientWebSocket answers the server's PINGs only then), each complete frame lands in a pooled buffer
/// and is handed to a bounded channel with <c>TryWrite</c>, never awaited: a full pipeline costs a dropped frame,
/// counted and caught downstream by the exchange's ids, never a stalled socket (which Binance disconnects after
/// a minute without pongs). Sends (SUBSCRIBE) go through their own lock; the receive loop takes none.
/// </summary>
internal sealed class StreamSocket : IAsyncDisposable
{
    private const int InitialBufferBytes = 16 * 1024;

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ChannelWriter<ReceivedFrame> _frames;
    private readonly TimeProvider _time;

    private readonly Action _onDropped;

    public StreamSocket(SocketContext context, ChannelWriter<ReceivedFrame> frames, TimeProvider time, Action onDropped)
    {
        Context = context;
        _onDropped = onDropped;
        _frames = frames;
        _time = time;

        // Binance pings and wants its payload echoed; unsolicited pongs would only count against the
        // 5 incoming messages per second.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    public SocketContext Context { get; }

    public WebSocketState State => _socket.State;

    public Task ConnectAsync(Uri url, CancellationToken cancellationToken) => _socket.ConnectAsync(url, cancellationToken);

    /// <summary>Sends one control message (SUBSCRIBE, UNSUBSCRIBE); safe to call while the receive loop runs.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Receives until the connection ends or <paramref name="cancellationToken"/> fires; never throws for a network failure.</summary>
    public async Task<SocketEnd> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var length = 0;
        long sequence = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return new SocketEnd(_socket.CloseStatus, _socket.CloseStatusDescription, null);
                }

                length += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                Interlocked.Increment(ref Context.FramesReceived);

                // The frame moves to a buffer of its own size (a few hundred bytes, from the pool's small buckets);
                // the large receive buffer stays with the socket. Handing over the receive buffer itself made
                // every frame rent a 16 KB array, more than the pool keeps, so each allocated one.
                var copy = ArrayPool<byte>.Shared.Rent(length);
                buffer.AsSpan(0, length).CopyTo(copy);
                var frame = new ReceivedFrame(copy, length, _time.NowMicroseconds(), ++sequence, Context);
                if (!_frames.TryWrite(frame))
                {
                    ArrayPool<byte>.Shared.Return(copy);
                    Interlocked.Increment(ref Context.FramesDropped);
                    _onDropped();
                }

                length = 0;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new SocketEnd(null, "stopped", null);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            return new SocketEnd(null, null, e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Closes politely (make-before-break rotation, shutdown), bounded by <paramref name="timeout"/>.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "rotated", deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _sendLock.Dispose();
        return ValueTask.CompletedTask;
    }
}

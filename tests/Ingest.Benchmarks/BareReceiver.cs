using System.Net.WebSockets;
using System.Text;
using Ingest.Sharding;

namespace Ingest.Benchmarks;

/// <summary>
/// The baseline's client: one <see cref="ClientWebSocket"/> on <c>/stream</c>, subscribed like the pod subscribes
/// (the pod's own <see cref="SubscribeBatcher"/> messages, paced), then a bare loop: <c>ReceiveAsync</c> into one
/// buffer, count, discard. No parsing, no copying, no hand-over.
/// </summary>
internal sealed class BareReceiver : IDisposable
{
    private static readonly TimeSpan ControlPause = TimeSpan.FromSeconds(1.0 / 3);

    private readonly ClientWebSocket _socket;
    private long _messages;
    private long _bytes;

    private BareReceiver(ClientWebSocket socket) => _socket = socket;

    public long Messages => Volatile.Read(ref _messages);

    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Connects and subscribes to <paramref name="streams"/>, awaiting each reply; nothing flows yet (the market has not moved).</summary>
    public static async Task<BareReceiver> ConnectAsync(Uri baseUrl, IReadOnlyList<string> streams, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            // As the pod's StreamSocket: the server pings, the client answers; no pings of its own.
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await socket.ConnectAsync(new Uri(baseUrl, "stream"), cancellationToken);
            var buffer = new byte[4096];
            foreach (var (id, json) in SubscribeBatcher.Batch("SUBSCRIBE", streams, 1))
            {
                await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                var reply = Encoding.UTF8.GetString(buffer, 0, result.Count);
                if (reply != $"{{\"result\":null,\"id\":{id}}}")
                {
                    throw new InvalidOperationException($"SUBSCRIBE refused: {reply}");
                }

                await Task.Delay(ControlPause, cancellationToken);
            }

            return new BareReceiver(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Receives and discards until the socket is aborted or closed.</summary>
    public async Task RunAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                // No cancellation token: registering one per receive would cost the loop; the run ends by Abort.
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                Volatile.Write(ref _bytes, _bytes + result.Count);
                if (result.EndOfMessage)
                {
                    Volatile.Write(ref _messages, _messages + 1);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
    }

    /// <summary>Ends the connection at once (TCP reset), which ends <see cref="RunAsync"/>.</summary>
    public void Abort() => _socket.Abort();

    public void Dispose() => _socket.Dispose();
}

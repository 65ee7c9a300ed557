using System.Net.WebSockets;
using System.Text;

namespace ExchangeSimulator.Benchmarks;

/// <summary>
/// One client: a <see cref="ClientWebSocket"/> that receives messages as fast as it can and counts them and their
/// payload bytes; nothing is parsed. The same client serves the simulator and the baseline.
/// </summary>
internal sealed class StreamReceiver : IDisposable
{
    /// <summary>Kestrel refuses request lines over 8 KB: streams beyond this many URL characters are subscribed to by a SUBSCRIBE message.</summary>
    private const int MaxUrlStreamChars = 6000;

    private readonly ClientWebSocket _socket;
    private long _messages;
    private long _bytes;

    private StreamReceiver(ClientWebSocket socket) => _socket = socket;

    public long Messages => Volatile.Read(ref _messages);

    public long Bytes => Volatile.Read(ref _bytes);

    public WebSocketState State => _socket.State;

    /// <summary>
    /// Opens <c>/stream?streams=…</c> with as many of <paramref name="streams"/> as fit in the URL and subscribes
    /// to the rest with one SUBSCRIBE, whose reply it awaits; nothing else is sent before the producer starts.
    /// </summary>
    public static async Task<StreamReceiver> ConnectAsync(Uri baseUrl, IReadOnlyList<string> streams, CancellationToken cancellationToken)
    {
        var inUrl = new List<string>();
        var length = 0;
        foreach (var stream in streams)
        {
            if (length + stream.Length + 1 > MaxUrlStreamChars)
            {
                break;
            }

            inUrl.Add(stream);
            length += stream.Length + 1;
        }

        var socket = new ClientWebSocket();
        try
        {
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            var query = inUrl.Count == 0 ? string.Empty : "?streams=" + string.Join('/', inUrl);
            await socket.ConnectAsync(new Uri(baseUrl, "stream" + query), cancellationToken);
            var receiver = new StreamReceiver(socket);
            if (inUrl.Count < streams.Count)
            {
                await receiver.SubscribeAsync(streams.Skip(inUrl.Count), cancellationToken);
            }

            return receiver;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Receives until the socket is aborted or closed; offers whole messages to <paramref name="samples"/> when given.</summary>
    public async Task RunAsync(MessageSamples? samples)
    {
        var buffer = new byte[64 * 1024];
        var partial = false;
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
                if (!result.EndOfMessage)
                {
                    partial = true;
                    continue;
                }

                Volatile.Write(ref _messages, _messages + 1);
                if (!partial && samples is { IsCollecting: true } && _messages % MessageSamples.Every == 0)
                {
                    samples.Offer(buffer.AsSpan(0, result.Count));
                }

                partial = false;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
    }

    /// <summary>Ends the connection at once (TCP reset), which ends <see cref="RunAsync"/>.</summary>
    public void Abort() => _socket.Abort();

    public void Dispose() => _socket.Dispose();

    private async Task SubscribeAsync(IEnumerable<string> streams, CancellationToken cancellationToken)
    {
        var request = "{\"method\":\"SUBSCRIBE\",\"params\":[" + string.Join(',', streams.Select(s => "\"" + s + "\"")) + "],\"id\":1}";
        await _socket.SendAsync(Encoding.UTF8.GetBytes(request), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        var buffer = new byte[4096];
        var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
        var reply = Encoding.UTF8.GetString(buffer, 0, result.Count);
        if (result.MessageType != WebSocketMessageType.Text || reply != "{\"result\":null,\"id\":1}")
        {
            throw new InvalidOperationException($"SUBSCRIBE refused: {reply}");
        }
    }
}

/// <summary>Copies of every <see cref="Every"/>-th message the clients receive while collecting: the baseline sends them back.</summary>
internal sealed class MessageSamples(int capacity)
{
    /// <summary>Every how many messages of a client one is copied: spread over many depth bursts, not the first one.</summary>
    public const int Every = 16;

    private readonly List<byte[]> _samples = new(capacity);
    private readonly Lock _lock = new();
    private volatile bool _collecting;

    public bool IsCollecting => _collecting;

    public void Start() => _collecting = true;

    public void Offer(ReadOnlySpan<byte> message)
    {
        lock (_lock)
        {
            if (_samples.Count < capacity)
            {
                _samples.Add(message.ToArray());
            }
            else
            {
                _collecting = false;
            }
        }
    }

    public IReadOnlyList<byte[]> ToList()
    {
        lock (_lock)
        {
            return [.. _samples];
        }
    }
}

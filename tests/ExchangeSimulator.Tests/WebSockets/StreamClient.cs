using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace ExchangeSimulator.Tests.WebSockets;

/// <summary>A test client on .NET's own ClientWebSocket (an independent implementation of the protocol).</summary>
internal sealed class StreamClient : IDisposable
{
    private StreamClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<StreamClient> ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(url, cancellationToken);
        return new StreamClient(socket);
    }

    public Task SendAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, TestContext.Current.CancellationToken);

    private Task<string?>? _pending;

    /// <summary>
    /// Asserts that nothing arrives for <paramref name="period"/>. The receive stays pending (cancelling a
    /// ClientWebSocket receive aborts the socket) and the next <see cref="ReceiveAsync(TimeSpan?)"/> takes it over.
    /// </summary>
    public async Task AssertSilentAsync(TimeSpan period)
    {
        _pending ??= ReceiveCoreAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAny(_pending, Task.Delay(period, TestContext.Current.CancellationToken));
        Assert.False(_pending.IsCompleted, "a message arrived: " + (_pending.IsCompletedSuccessfully ? await _pending : "(failed)"));
    }

    /// <summary>The next text message, or null when the server closed (see <see cref="ClientWebSocket.CloseStatus"/>).</summary>
    /// <exception cref="TimeoutException">Nothing arrived in time (the socket is aborted then).</exception>
    public Task<string?> ReceiveAsync(TimeSpan? timeout = null)
    {
        if (_pending is { } pending)
        {
            _pending = null;
            return pending;
        }

        return ReceiveCoreAsync(timeout);
    }

    private async Task<string?> ReceiveCoreAsync(TimeSpan? timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer.GetMemory(4096), deadline.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                buffer.Advance(result.Count);
                if (result.EndOfMessage)
                {
                    return Encoding.UTF8.GetString(buffer.WrittenSpan);
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("No message within the timeout");
        }
    }

    /// <summary>Receives exactly <paramref name="count"/> messages.</summary>
    public async Task<List<string>> ReceiveAsync(int count, TimeSpan? timeout = null)
    {
        var messages = new List<string>(count);
        while (messages.Count < count)
        {
            messages.Add(await ReceiveAsync(timeout) ?? throw new InvalidOperationException($"Closed after {messages.Count} of {count} messages: {Socket.CloseStatus} {Socket.CloseStatusDescription}"));
        }

        return messages;
    }

    /// <summary>Reads until the server ends the connection; returns what arrived before and how it ended (null status: no close frame).</summary>
    public async Task<(List<string> Messages, WebSocketCloseStatus? Status, Exception? Error)> DrainUntilClosedAsync(TimeSpan timeout)
    {
        var messages = new List<string>();
        try
        {
            while (await ReceiveAsync(timeout) is { } message)
            {
                messages.Add(message);
            }

            return (messages, Socket.CloseStatus, null);
        }
        catch (WebSocketException e)
        {
            return (messages, null, e);
        }
    }

    public void Dispose() => Socket.Dispose();
}

using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using ExchangeSimulator.WebSockets.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ExchangeSimulator.Benchmarks;

/// <summary>How the baseline server sends its pre-serialized messages.</summary>
internal enum BaselineMode
{
    /// <summary>ASP.NET Core's own WebSocket (<c>app.UseWebSockets()</c>): one <c>WebSocket.SendAsync</c> per message.</summary>
    PassThrough,

    /// <summary>
    /// The messages pre-framed into one buffer written in 64 KB chunks to the raw upgraded stream: next to no
    /// server work, so what it reaches is about what the clients can receive on this machine.
    /// </summary>
    PreFramedBatches,
}

/// <summary>
/// A minimal Kestrel server that sends pre-serialized messages (copies of what the simulator sent) in a loop, as
/// fast as TCP lets it, to the same number of ClientWebSocket clients as the end-to-end run.
/// </summary>
internal static class BaselineBenchmark
{
    private const int ChunkBytes = 64 * 1024;

    public static async Task<Measurement> RunAsync(
        BaselineMode mode, int connections, IReadOnlyList<byte[]> messages, TimeSpan warmup, TimeSpan window, CancellationToken cancellationToken)
    {
        var framed = Frame(messages);
        using var stopping = new CancellationTokenSource();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.AddServerHeader = false;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var app = builder.Build();
        var connectionCount = 0;
        if (mode == BaselineMode.PassThrough)
        {
            app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        }

        app.Run(async context =>
        {
            // Each connection starts at its own place in the samples, as each simulator connection has its own symbols.
            var first = Interlocked.Increment(ref connectionCount) * 997 % messages.Count;
            try
            {
                if (mode == BaselineMode.PassThrough && context.WebSockets.IsWebSocketRequest)
                {
                    using var socket = await context.WebSockets.AcceptWebSocketAsync();
                    await SendMessagesAsync(socket, messages, first, stopping.Token);
                }
                else if (mode == BaselineMode.PreFramedBatches && WebSocketHandshake.TryValidate(context.Request, out var acceptKey, out _, out _))
                {
                    var stream = await WebSocketHandshake.AcceptAsync(context, acceptKey);
                    await SendChunksAsync(stream, framed, stopping.Token);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                }
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The client was aborted at the end of the window.
            }
        });
        await app.StartAsync(cancellationToken);

        var url = new Uri("ws" + app.Urls.Single()["http".Length..].TrimEnd('/') + "/");
        var receivers = new List<StreamReceiver>();
        try
        {
            for (var c = 0; c < connections; c++)
            {
                receivers.Add(await StreamReceiver.ConnectAsync(url, [], cancellationToken));
            }

            var loops = receivers.Select(r => Task.Run(() => r.RunAsync(samples: null), CancellationToken.None)).ToArray();
            await Task.Delay(warmup, cancellationToken);
            var (messages0, bytes0) = (receivers.Sum(r => r.Messages), receivers.Sum(r => r.Bytes));
            var start = ProcessSnapshot.Take();
            await Task.Delay(window, cancellationToken);
            var (messages1, bytes1) = (receivers.Sum(r => r.Messages), receivers.Sum(r => r.Bytes));
            var end = ProcessSnapshot.Take();

            await stopping.CancelAsync();
            foreach (var receiver in receivers)
            {
                receiver.Abort();
            }

            await Task.WhenAll(loops);
            return new Measurement(messages1 - messages0, bytes1 - bytes0, start, end);
        }
        finally
        {
            foreach (var receiver in receivers)
            {
                receiver.Dispose();
            }

            await app.StopAsync(CancellationToken.None);
        }
    }

    private static async Task SendMessagesAsync(WebSocket socket, IReadOnlyList<byte[]> messages, int first, CancellationToken stopping)
    {
        var i = first;
        while (!stopping.IsCancellationRequested)
        {
            await socket.SendAsync(messages[i].AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            if (++i == messages.Count)
            {
                i = 0;
            }
        }
    }

    private static async Task SendChunksAsync(Stream stream, byte[] framed, CancellationToken stopping)
    {
        var offset = 0;
        while (!stopping.IsCancellationRequested)
        {
            var count = Math.Min(ChunkBytes, framed.Length - offset);
            await stream.WriteAsync(framed.AsMemory(offset, count), CancellationToken.None);
            offset = (offset + count) % framed.Length;
        }
    }

    /// <summary>Every message as one unmasked server text frame, back to back: a buffer that can be sent round and round.</summary>
    private static byte[] Frame(IReadOnlyList<byte[]> messages)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var message in messages)
        {
            WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Text, message);
        }

        return output.WrittenSpan.ToArray();
    }
}

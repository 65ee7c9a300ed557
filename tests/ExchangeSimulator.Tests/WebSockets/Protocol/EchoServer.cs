using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using ExchangeSimulator.WebSockets.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ExchangeSimulator.Tests.WebSockets.Protocol;

/// <summary>
/// A real Kestrel server on a free loopback port whose <c>/ws</c> endpoint does the handshake with
/// <see cref="WebSocketHandshake"/> and echoes data messages with our reader and writer: Pings get Pongs,
/// a Close is echoed and ends the connection, a protocol error closes with its status.
/// </summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoServer(WebApplication app) => _app = app;

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri HttpUrl => new(_app.Urls.Single());

    public Uri WebSocketUrl => new($"ws://{HttpUrl.Authority}/ws");

    /// <summary>Opcodes of everything the server read, in order.</summary>
    public ConcurrentQueue<WebSocketOpcode> Received { get; } = new();

    /// <summary>Completes when a connection's handler returns; faults with what went wrong in it.</summary>
    public TaskCompletionSource ConnectionEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<EchoServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var server = new EchoServer(app);
        app.MapGet("/ws", server.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!WebSocketHandshake.TryValidate(context.Request, out var acceptKey, out var status, out var reason))
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status426UpgradeRequired)
            {
                context.Response.Headers.SecWebSocketVersion = "13";
            }

            await context.Response.WriteAsync(reason, context.RequestAborted);
            return;
        }

        try
        {
            await using var stream = await WebSocketHandshake.AcceptAsync(context, acceptKey);
            await EchoAsync(stream, context.RequestAborted);
            ConnectionEnded.TrySetResult();
        }
        catch (Exception error)
        {
            ConnectionEnded.TrySetException(error);
        }
    }

    private async Task EchoAsync(Stream stream, CancellationToken cancellationToken)
    {
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        using var reader = new WebSocketFrameReader(input, 1 << 20);
        var output = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                output.ResetWrittenCount();
                var closing = false;
                try
                {
                    if (await reader.ReadAsync(cancellationToken) is not { } message)
                    {
                        return;
                    }

                    Received.Enqueue(message.Opcode);
                    switch (message.Opcode)
                    {
                        case WebSocketOpcode.Text or WebSocketOpcode.Binary:
                            WebSocketFrameWriter.WriteFrame(output, message.Opcode, message.Payload.Span);
                            break;
                        case WebSocketOpcode.Ping:
                            WebSocketFrameWriter.WriteFrame(output, WebSocketOpcode.Pong, message.Payload.Span);
                            break;
                        case WebSocketOpcode.Close:
                            var (status, reason) = WebSocketCloseFrame.Parse(message.Payload.Span);
                            WebSocketFrameWriter.WriteClose(output, status ?? WebSocketCloseStatus.Empty, reason);
                            closing = true;
                            break;
                    }
                }
                catch (WebSocketProtocolException violation)
                {
                    WebSocketFrameWriter.WriteClose(output, violation.CloseStatus, violation.Message);
                    closing = true;
                }

                if (output.WrittenCount > 0)
                {
                    await stream.WriteAsync(output.WrittenMemory, cancellationToken);
                    await stream.FlushAsync(cancellationToken);
                }

                if (closing)
                {
                    return;
                }
            }
        }
        finally
        {
            await input.CompleteAsync();
        }
    }
}

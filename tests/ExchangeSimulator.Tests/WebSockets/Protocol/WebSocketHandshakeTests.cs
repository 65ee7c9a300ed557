using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using ExchangeSimulator.WebSockets.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ExchangeSimulator.Tests.WebSockets.Protocol;

/// <summary>The opening handshake on its own, then whole connections through a real Kestrel server.</summary>
public sealed class WebSocketHandshakeTests
{
    private const string RfcKey = "dGhlIHNhbXBsZSBub25jZQ==";
    private const string RfcAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void ComputeAcceptKey_RfcExample() => Assert.Equal(RfcAccept, WebSocketHandshake.ComputeAcceptKey(RfcKey));

    [Fact]
    public void TryValidate_ValidRequest_GivesAcceptKey()
    {
        var request = Request();

        var valid = WebSocketHandshake.TryValidate(request, out var acceptKey, out var status, out var reason);

        Assert.True(valid, reason);
        Assert.Equal(RfcAccept, acceptKey);
        Assert.Equal(0, status);
    }

    [Theory]
    [InlineData("websocket", "Upgrade")]
    [InlineData("WebSocket", "keep-alive, Upgrade")]
    [InlineData("h2c, websocket", "upgrade,keep-alive")]
    [InlineData(" websocket ", "keep-alive ,  UPGRADE ")]
    public void TryValidate_HeaderListsAndCase_AreAccepted(string upgrade, string connection)
    {
        var request = Request();
        request.Headers.Upgrade = upgrade;
        request.Headers.Connection = connection;

        Assert.True(WebSocketHandshake.TryValidate(request, out _, out _, out var reason), reason);
    }

    public static TheoryData<string, int> Failures() => new()
    {
        { "POST", 400 },
        { "not upgradable", 400 },
        { "no Upgrade", 400 },
        { "Upgrade: h2c", 400 },
        { "Upgrade: websockets", 400 },
        { "no Connection", 400 },
        { "Connection: keep-alive", 400 },
        { "Connection: Upgraded", 400 },
        { "no version", 426 },
        { "version 12", 426 },
        { "two versions", 426 },
        { "no key", 400 },
        { "key not base64", 400 },
        { "key of 15 bytes", 400 },
        { "key of 17 bytes", 400 },
        { "two keys", 400 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void TryValidate_BadRequest_Fails(string change, int expectedStatus)
    {
        var request = Request();
        var headers = request.Headers;
        switch (change)
        {
            case "POST": request.Method = "POST"; break;
            case "not upgradable": request.HttpContext.Features.Set<IHttpUpgradeFeature>(new FakeUpgradeFeature(false)); break;
            case "no Upgrade": headers.Remove("Upgrade"); break;
            case "Upgrade: h2c": headers.Upgrade = "h2c"; break;
            case "Upgrade: websockets": headers.Upgrade = "websockets"; break;
            case "no Connection": headers.Remove("Connection"); break;
            case "Connection: keep-alive": headers.Connection = "keep-alive"; break;
            case "Connection: Upgraded": headers.Connection = "Upgraded"; break;
            case "no version": headers.Remove("Sec-WebSocket-Version"); break;
            case "version 12": headers.SecWebSocketVersion = "12"; break;
            case "two versions": headers.SecWebSocketVersion = new(["13", "8"]); break;
            case "no key": headers.Remove("Sec-WebSocket-Key"); break;
            case "key not base64": headers.SecWebSocketKey = "not base64 at all!"; break;
            case "key of 15 bytes": headers.SecWebSocketKey = Convert.ToBase64String(new byte[15]); break;
            case "key of 17 bytes": headers.SecWebSocketKey = Convert.ToBase64String(new byte[17]); break;
            case "two keys": headers.SecWebSocketKey = new([RfcKey, RfcKey]); break;
            default: throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }

        var valid = WebSocketHandshake.TryValidate(request, out var acceptKey, out var status, out var reason);

        Assert.False(valid);
        Assert.Equal(expectedStatus, status);
        Assert.False(string.IsNullOrEmpty(reason));
        Assert.Equal(string.Empty, acceptKey);
    }

    [Fact]
    public async Task Kestrel_ClientWebSocket_EchoesAndClosesCleanly()
    {
        await using var server = await EchoServer.StartAsync();
        using var client = new ClientWebSocket();
        await client.ConnectAsync(server.WebSocketUrl, Ct);
        var large = new byte[70_000];
        new Random(1234).NextBytes(large);

        await client.SendAsync("hello ✓"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, Ct);
        var echoText = await ReceiveAsync(client);
        await client.SendAsync(large.AsMemory(0, 1000), WebSocketMessageType.Binary, endOfMessage: false, Ct);
        await client.SendAsync(large.AsMemory(1000), WebSocketMessageType.Binary, endOfMessage: true, Ct);
        var echoBinary = await ReceiveAsync(client);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Ct);
        await server.ConnectionEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal((WebSocketMessageType.Text, "hello ✓"), (echoText.Type, Encoding.UTF8.GetString(echoText.Payload)));
        Assert.Equal(WebSocketMessageType.Binary, echoBinary.Type);
        Assert.Equal(large, echoBinary.Payload);
        Assert.Equal(WebSocketState.Closed, client.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal("bye", client.CloseStatusDescription);
        Assert.Equal([WebSocketOpcode.Text, WebSocketOpcode.Binary, WebSocketOpcode.Close], server.Received);
    }

    [Fact]
    public async Task Kestrel_PlainGet_Is400()
    {
        await using var server = await EchoServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.HttpUrl };

        using var response = await http.GetAsync("/ws", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Kestrel_Version12_Is426WithVersion13()
    {
        await using var server = await EchoServer.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.HttpUrl.Port, Ct);
        var stream = tcp.GetStream();

        var head = await SendHandshakeAsync(stream, server.HttpUrl, version: "12");

        Assert.StartsWith("HTTP/1.1 426 ", head, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Version: 13\r\n", head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Kestrel_RawHandshake_Gives101WithAcceptKey_ThenUnmaskedEcho()
    {
        await using var server = await EchoServer.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.HttpUrl.Port, Ct);
        var stream = tcp.GetStream();

        var head = await SendHandshakeAsync(stream, server.HttpUrl, version: "13");
        var frame = new ArrayBufferWriter<byte>();
        WebSocketFrameWriter.WriteMaskedFrame(frame, WebSocketOpcode.Text, "raw"u8, 0xCAFEBABE);
        await stream.WriteAsync(frame.WrittenMemory, Ct);
        var echo = new byte[5];
        await stream.ReadExactlyAsync(echo, Ct);

        Assert.StartsWith("HTTP/1.1 101 ", head, StringComparison.Ordinal);
        Assert.Contains($"\r\nSec-WebSocket-Accept: {RfcAccept}\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nUpgrade: websocket\r\n", head, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\r\nConnection: Upgrade\r\n", head, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Sec-WebSocket-Extensions", head, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Sec-WebSocket-Protocol", head, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([0x81, 0x03, (byte)'r', (byte)'a', (byte)'w'], echo);
    }

    [Fact]
    public async Task Kestrel_ProtocolViolation_ServerClosesWith1002()
    {
        await using var server = await EchoServer.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.HttpUrl.Port, Ct);
        var stream = tcp.GetStream();
        await SendHandshakeAsync(stream, server.HttpUrl, version: "13");

        var unmasked = new ArrayBufferWriter<byte>();
        WebSocketFrameWriter.WriteFrame(unmasked, WebSocketOpcode.Text, "no mask"u8);
        await stream.WriteAsync(unmasked.WrittenMemory, Ct);
        var header = new byte[2];
        await stream.ReadExactlyAsync(header, Ct);
        var payload = new byte[header[1]];
        await stream.ReadExactlyAsync(payload, Ct);

        Assert.Equal(0x88, header[0]);
        Assert.Equal(WebSocketCloseStatus.ProtocolError, WebSocketCloseFrame.Parse(payload).Status);
    }

    /// <summary>The RFC 6455 §1.3 example request, as Kestrel would present it.</summary>
    private static HttpRequest Request()
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpUpgradeFeature>(new FakeUpgradeFeature(true));
        var request = context.Request;
        request.Method = "GET";
        request.Protocol = "HTTP/1.1";
        request.Headers.Upgrade = "websocket";
        request.Headers.Connection = "Upgrade";
        request.Headers.SecWebSocketKey = RfcKey;
        request.Headers.SecWebSocketVersion = "13";
        return request;
    }

    private static async Task<ClientMessage> ReceiveAsync(WebSocket client)
    {
        var buffer = new byte[8192];
        var payload = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await client.ReceiveAsync(buffer.AsMemory(), Ct);
            payload.Write(buffer.AsSpan(0, result.Count));
            if (result.EndOfMessage)
            {
                return new ClientMessage(result.MessageType, payload.WrittenSpan.ToArray(), null, null);
            }
        }
    }

    /// <summary>Sends an opening handshake with the RFC's key by hand and returns the response head (status line and headers).</summary>
    private static async Task<string> SendHandshakeAsync(NetworkStream stream, Uri server, string version)
    {
        var request =
            $"GET /ws HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {RfcKey}\r\nSec-WebSocket-Version: {version}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Ct);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            await stream.ReadExactlyAsync(one, Ct);
            head.Append((char)one[0]);
        }

        return head.ToString();
    }
}

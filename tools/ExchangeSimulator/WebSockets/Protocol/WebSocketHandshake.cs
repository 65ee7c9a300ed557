using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace ExchangeSimulator.WebSockets.Protocol;

/// <summary>
/// The server side of the opening handshake (RFC 6455 §4.2), done by hand so that Kestrel hands over the raw
/// upgraded stream instead of ASP.NET's WebSocket. Accepts version 13 only and negotiates no extension and no
/// subprotocol, so every RSV bit the client sets later is a protocol error.
/// </summary>
public static class WebSocketHandshake
{
    /// <summary>The GUID of RFC 6455 §1.3 that the accept key hashes with the client's key.</summary>
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>
    /// Checks <paramref name="request"/> against §4.2.1: GET, upgradable HTTP/1.1, <c>Upgrade: websocket</c>,
    /// <c>Connection</c> listing <c>Upgrade</c>, <c>Sec-WebSocket-Version: 13</c> and a <c>Sec-WebSocket-Key</c>
    /// of 16 base64 bytes. On failure gives 400, or 426 for another version (the caller then adds
    /// <c>Sec-WebSocket-Version: 13</c> to the response, as §4.4 asks).
    /// </summary>
    public static bool TryValidate(HttpRequest request, out string acceptKey, out int failureStatusCode, out string failureReason)
    {
        ArgumentNullException.ThrowIfNull(request);
        acceptKey = string.Empty;
        if (!HttpMethods.IsGet(request.Method))
        {
            return Fail(StatusCodes.Status400BadRequest, "WebSocket handshake must be a GET.", out failureStatusCode, out failureReason);
        }

        if (request.HttpContext.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true })
        {
            return Fail(StatusCodes.Status400BadRequest, "Not an upgradable HTTP/1.1 request.", out failureStatusCode, out failureReason);
        }

        var headers = request.Headers;
        if (!HasToken(headers.Upgrade, "websocket"))
        {
            return Fail(StatusCodes.Status400BadRequest, "Upgrade header must contain websocket.", out failureStatusCode, out failureReason);
        }

        if (!HasToken(headers.Connection, "Upgrade"))
        {
            return Fail(StatusCodes.Status400BadRequest, "Connection header must contain Upgrade.", out failureStatusCode, out failureReason);
        }

        if (headers.SecWebSocketVersion is not { Count: 1 } version || version.ToString() != "13")
        {
            return Fail(StatusCodes.Status426UpgradeRequired, "Sec-WebSocket-Version must be 13.", out failureStatusCode, out failureReason);
        }

        if (headers.SecWebSocketKey is not { Count: 1 } keyValues || !IsValidKey(keyValues.ToString()))
        {
            return Fail(StatusCodes.Status400BadRequest, "Sec-WebSocket-Key must be 16 bytes in base64.", out failureStatusCode, out failureReason);
        }

        acceptKey = ComputeAcceptKey(keyValues.ToString());
        failureStatusCode = 0;
        failureReason = string.Empty;
        return true;
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> value: base64(SHA-1(key + the RFC 6455 GUID)).</summary>
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "RFC 6455 prescribes SHA-1; it proves the server read the handshake, it protects nothing.")]
    public static string ComputeAcceptKey(string secWebSocketKey)
    {
        ArgumentNullException.ThrowIfNull(secWebSocketKey);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(Encoding.ASCII.GetBytes(secWebSocketKey + KeyGuid), hash);
        return Convert.ToBase64String(hash);
    }

    /// <summary>
    /// Answers the handshake: sets <c>Connection: Upgrade</c>, <c>Upgrade: websocket</c> and
    /// <c>Sec-WebSocket-Accept</c>, and upgrades (Kestrel sends the 101). Returns the duplex stream of the connection.
    /// </summary>
    public static Task<Stream> AcceptAsync(HttpContext context, string acceptKey)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(acceptKey);
        var upgrade = context.Features.Get<IHttpUpgradeFeature>()
            ?? throw new InvalidOperationException("The server does not support HTTP/1.1 upgrades.");
        var headers = context.Response.Headers;
        headers.Connection = "Upgrade";
        headers.Upgrade = "websocket";
        headers.SecWebSocketAccept = acceptKey;
        return upgrade.UpgradeAsync();
    }

    /// <summary>Whether a comma-separated header (any number of lines) lists <paramref name="token"/>, ignoring case.</summary>
    private static bool HasToken(StringValues values, string token)
    {
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            var span = value.AsSpan();
            foreach (var range in span.Split(','))
            {
                if (span[range].Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[16];
        return Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }

    private static bool Fail(int statusCode, string reason, out int failureStatusCode, out string failureReason)
    {
        failureStatusCode = statusCode;
        failureReason = reason;
        return false;
    }
}

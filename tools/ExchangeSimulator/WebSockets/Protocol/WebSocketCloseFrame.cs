using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using System.Text.Unicode;

namespace ExchangeSimulator.WebSockets.Protocol;

/// <summary>
/// The payload of a Close frame (RFC 6455 §5.5.1): nothing, or a 2-byte big-endian status code followed by a
/// UTF-8 reason. Kept apart from the reader so that tests and the connection code read close frames the same way.
/// </summary>
public static class WebSocketCloseFrame
{
    /// <summary>Parses a close payload the reader already validated: (status, reason); an empty payload gives (null, "").</summary>
    /// <exception cref="WebSocketProtocolException">The payload is one byte long (the reader never returns such a frame).</exception>
    public static (WebSocketCloseStatus? Status, string Reason) Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return (null, string.Empty);
        }

        if (payload.Length == 1)
        {
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "Close payload of one byte.");
        }

        var code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        return ((WebSocketCloseStatus)code, Encoding.UTF8.GetString(payload[2..]));
    }

    /// <summary>
    /// Whether a peer may send <paramref name="code"/> in a Close frame. Deliberately simpler than the IANA
    /// registry: 1000-1003, 1007-1011 and the application/library range 3000-4999. 1005, 1006 and 1015 are
    /// reserved for "nothing was received" and must never be on the wire; 1004 and 1012-2999 we treat as unknown.
    /// </summary>
    public static bool IsAllowedOnWire(int code) =>
        code is (>= 1000 and <= 1003) or (>= 1007 and <= 1011) or (>= 3000 and <= 4999);

    /// <summary>The §5.5.1 and §7.4 checks on a received close payload; throws with the status to fail the connection with.</summary>
    internal static void Validate(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return;
        }

        if (payload.Length == 1)
        {
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "Close payload of one byte.");
        }

        var code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (!IsAllowedOnWire(code))
        {
            throw new WebSocketProtocolException(WebSocketCloseStatus.ProtocolError, "Close code not allowed on the wire.");
        }

        if (!Utf8.IsValid(payload[2..]))
        {
            throw new WebSocketProtocolException(WebSocketCloseStatus.InvalidPayloadData, "Close reason is not valid UTF-8.");
        }
    }
}

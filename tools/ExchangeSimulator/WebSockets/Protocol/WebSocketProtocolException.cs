using System.Net.WebSockets;

namespace ExchangeSimulator.WebSockets.Protocol;

/// <summary>
/// The peer broke RFC 6455 (or a limit of ours), so the connection must be failed. Carries the close status
/// the server should send before dropping the connection, so that the caller needs no table of its own.
/// </summary>
/// <param name="closeStatus">ProtocolError (1002), InvalidPayloadData (1007) or MessageTooBig (1009).</param>
/// <param name="message">What was wrong; short enough to serve as the close reason.</param>
public sealed class WebSocketProtocolException(WebSocketCloseStatus closeStatus, string message) : Exception(message)
{
    /// <summary>The status to put in the Close frame that fails the connection.</summary>
    public WebSocketCloseStatus CloseStatus { get; } = closeStatus;
}

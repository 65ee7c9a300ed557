using Microsoft.Extensions.Logging;

namespace ExchangeSimulator.WebSockets;

/// <summary>The WebSocket server's log events.</summary>
internal static partial class StreamLog
{
    [LoggerMessage(1, LogLevel.Information, "Connection {ConnectionId} on region {Region}: {Path} from {Remote}")]
    public static partial void Connected(ILogger logger, long connectionId, string region, string path, string remote);

    [LoggerMessage(2, LogLevel.Information, "Connection {ConnectionId} on region {Region} ended: {Reason} after {MessagesSent} messages")]
    public static partial void Disconnected(ILogger logger, long connectionId, string region, DisconnectReason reason, long messagesSent);

    [LoggerMessage(3, LogLevel.Information, "Connection {ConnectionId} exceeded {Limit} incoming messages per second")]
    public static partial void RateLimited(ILogger logger, long connectionId, int limit);

    [LoggerMessage(4, LogLevel.Information, "Connection {ConnectionId}: protocol error {Error}")]
    public static partial void ProtocolError(ILogger logger, long connectionId, string error);

    [LoggerMessage(5, LogLevel.Information, "Connection {ConnectionId}: no pong within {Timeout}")]
    public static partial void PongTimeout(ILogger logger, long connectionId, TimeSpan timeout);

    [LoggerMessage(6, LogLevel.Warning, "Fault {Kind} injected into region {Region} ({Connections} connections)")]
    public static partial void FaultInjected(ILogger logger, string kind, string region, int connections);
}

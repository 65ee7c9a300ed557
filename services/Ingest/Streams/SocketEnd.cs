using System.Net.WebSockets;

namespace Ingest.Streams;

/// <summary>How a connection ended: the server's close frame if there was one, else the error.</summary>
internal sealed record SocketEnd(WebSocketCloseStatus? CloseStatus, string? CloseDescription, Exception? Error)
{
    public override string ToString() => CloseStatus is { } status
        ? $"{(int)status} {CloseDescription}"
        : Error is { } error ? $"{error.GetType().Name}: {error.Message}" : "closed";
}

namespace ExchangeSimulator.WebSockets;

/// <summary>What the write loop sends next.</summary>
internal enum OutboundKind : byte
{
    /// <summary>A stream payload, wrapped when the connection is combined.</summary>
    Stream,

    /// <summary>A text frame as is (a control reply, <c>serverShutdown</c>, a malformed message).</summary>
    Text,
    Ping,
    Pong,
    Close,

    /// <summary>The next stream payload cut in half.</summary>
    TruncateNextStream,

    /// <summary>A frame header promising more than follows, then an abort.</summary>
    TruncatedFrame,

    /// <summary>A text frame with RSV1 set (no extension was negotiated).</summary>
    InvalidFrame,
}

/// <summary>One item of a connection's send queue.</summary>
internal readonly record struct Outbound(OutboundKind Kind, byte[] Payload, int StreamId = -1, int CloseCode = 0);

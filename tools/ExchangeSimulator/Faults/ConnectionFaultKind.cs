using System.Text.Json.Serialization;

namespace ExchangeSimulator.Faults;

/// <summary>What can go wrong on one WebSocket connection (or every connection of a region).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConnectionFaultKind>))]
public enum ConnectionFaultKind
{
    /// <summary>TCP reset: no close frame, as when a load balancer or the network drops the connection.</summary>
    Drop = 1,

    /// <summary>Stop sending and stop answering pings for <see cref="ConnectionFault.Duration"/> (forever if absent); the backlog follows if it ends.</summary>
    Stall,

    /// <summary>A close frame with <see cref="ConnectionFault.CloseCode"/> (default 1011) and <see cref="ConnectionFault.Reason"/>, then TCP close.</summary>
    Close,

    /// <summary>Wait <see cref="ConnectionFault.Delay"/> before each message for <see cref="ConnectionFault.Duration"/>.</summary>
    Slow,

    /// <summary>One text frame that is not JSON.</summary>
    MalformedJson,

    /// <summary>The next stream message cut in the middle, in a well-formed text frame.</summary>
    TruncatedJson,

    /// <summary>The next frame's header promises more bytes than follow; then TCP drops.</summary>
    TruncatedFrame,

    /// <summary>A frame with a reserved bit set, which a client must fail the connection on.</summary>
    InvalidFrame,

    /// <summary>The next <see cref="ConnectionFault.Count"/> stream messages are sent twice.</summary>
    Duplicate,

    /// <summary>The next <see cref="ConnectionFault.Count"/> pairs of stream messages are swapped.</summary>
    Reorder,

    /// <summary>A <c>serverShutdown</c> event, then a close after the server's notice period.</summary>
    ServerShutdown,

    /// <summary>
    /// Stop delivering <see cref="ConnectionFault.Stream"/> while the connection stays open and keeps listing it:
    /// what legacy USD-M URLs did to klines after 2026-04-23. Only a per-stream liveness check notices.
    /// </summary>
    WithholdStream,
}

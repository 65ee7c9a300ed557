namespace ExchangeSimulator.WebSockets.Protocol;

/// <summary>
/// The frame opcodes of RFC 6455 §5.2. Byte-sized because it is the low nibble of a frame's first byte;
/// the values 3-7 and 11-15 are reserved and make the reader fail the connection.
/// </summary>
public enum WebSocketOpcode : byte
{
    /// <summary>A further fragment of the data message that a Text or Binary frame without FIN started.</summary>
    Continuation = 0,

    Text = 1,

    Binary = 2,

    Close = 8,

    Ping = 9,

    Pong = 10,
}

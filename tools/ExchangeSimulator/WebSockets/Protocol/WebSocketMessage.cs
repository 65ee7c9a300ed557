namespace ExchangeSimulator.WebSockets.Protocol;

/// <summary>
/// One thing <see cref="WebSocketFrameReader"/> received: a complete data message (Text or Binary, its
/// fragments reassembled and unmasked) or one control frame (Close, Ping or Pong, unmasked).
/// </summary>
/// <param name="Opcode">Text or Binary for a data message (never Continuation), else the control frame's opcode.</param>
/// <param name="Payload">
/// The unmasked payload. It points into the reader's pooled buffers, so it stays valid only until the next
/// <see cref="WebSocketFrameReader.ReadAsync"/> on the same reader (or its disposal): copy what must outlive that.
/// </param>
public readonly record struct WebSocketMessage(WebSocketOpcode Opcode, ReadOnlyMemory<byte> Payload);

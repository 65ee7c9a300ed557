using System.Net.WebSockets;

namespace ExchangeSimulator.Tests.WebSockets.Protocol;

/// <summary>A message as .NET's client WebSocket received it; for Close, the status and description it parsed.</summary>
internal sealed record ClientMessage(WebSocketMessageType Type, byte[] Payload, WebSocketCloseStatus? CloseStatus, string? CloseDescription);

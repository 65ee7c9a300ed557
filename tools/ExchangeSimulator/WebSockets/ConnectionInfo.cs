namespace ExchangeSimulator.WebSockets;

/// <summary>What the control API lists about a connection.</summary>
public sealed record ConnectionInfo(
    long Id,
    string Region,
    string Path,
    string RemoteEndPoint,
    DateTimeOffset ConnectedAt,
    bool Combined,
    bool Microseconds,
    int Streams,
    long MessagesSent,
    long Queued);

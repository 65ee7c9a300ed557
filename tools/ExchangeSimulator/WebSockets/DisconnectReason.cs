namespace ExchangeSimulator.WebSockets;

/// <summary>Why a connection ended (a metric label and a log field).</summary>
public enum DisconnectReason
{
    ClientClosed = 1,
    ClientGone,
    IncomingRateLimit,
    PongTimeout,
    LifetimeExceeded,
    SlowConsumer,
    ProtocolError,
    InjectedFault,
    ServerShutdown,
    RegionDown,
    ServerStopping,
}

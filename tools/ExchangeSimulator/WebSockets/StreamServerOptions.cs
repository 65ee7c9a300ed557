using ExchangeSimulator.Market;

namespace ExchangeSimulator.WebSockets;

/// <summary>
/// Limits and timers of the simulated WebSocket market streams. <see cref="For"/> gives Binance's documented
/// values per market (<c>shared/BINANCE.md</c> 1.1); tests scale the timers down.
/// </summary>
public sealed record StreamServerOptions
{
    /// <summary>Streams one connection may hold (URL plus live subscriptions): 1024 on both markets.</summary>
    public int MaxStreamsPerConnection { get; init; } = 1024;

    /// <summary>Incoming messages (PING, PONG, CLOSE and JSON control frames) per second; one more drops the connection. Spot 5, futures 10.</summary>
    public int MaxIncomingMessagesPerSecond { get; init; } = 5;

    /// <summary>Server PING period: Spot 20 s, futures 3 min.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A PING whose payload no PONG echoes within this time disconnects: Spot 1 min, futures 10 min.</summary>
    public TimeSpan PongTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Connections are closed after this: 24 h on Binance.</summary>
    public TimeSpan ConnectionLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Messages queued for a client that does not read fast enough; beyond it the server drops the client, as Binance drops slow consumers.</summary>
    public int MaxQueuedMessages { get; init; } = 200_000;

    /// <summary>Largest client message accepted (a SUBSCRIBE of 1024 streams is about 30 KB).</summary>
    public int MaxIncomingMessageBytes { get; init; } = 1 << 20;

    /// <summary>Time between the <c>serverShutdown</c> event and the disconnection it announces.</summary>
    public TimeSpan ShutdownNoticePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a server-initiated close waits for the client's close frame before dropping TCP.</summary>
    public TimeSpan CloseHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// USD-M futures only: legacy paths (<c>/ws</c>, <c>/stream</c> without <c>/public</c> or <c>/market</c>) accept
    /// the handshake but never deliver klines, as Binance's did after their retirement on 2026-04-23.
    /// </summary>
    public bool LegacyFuturesPathsWithholdKlines { get; init; } = true;

    /// <summary>The clock of pings, deadlines, lifetimes and rate limits.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Binance's values for <paramref name="flavor"/>.</summary>
    public static StreamServerOptions For(MarketFlavor flavor) => flavor == MarketFlavor.UsdmFutures
        ? new StreamServerOptions
        {
            MaxIncomingMessagesPerSecond = 10,
            PingInterval = TimeSpan.FromMinutes(3),
            PongTimeout = TimeSpan.FromMinutes(10),
        }
        : new StreamServerOptions();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxStreamsPerConnection, nameof(MaxStreamsPerConnection));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxIncomingMessagesPerSecond, nameof(MaxIncomingMessagesPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PingInterval, TimeSpan.Zero, nameof(PingInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PongTimeout, TimeSpan.Zero, nameof(PongTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectionLifetime, TimeSpan.Zero, nameof(ConnectionLifetime));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxQueuedMessages, nameof(MaxQueuedMessages));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxIncomingMessageBytes, 125, nameof(MaxIncomingMessageBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownNoticePeriod, TimeSpan.Zero, nameof(ShutdownNoticePeriod));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CloseHandshakeTimeout, TimeSpan.Zero, nameof(CloseHandshakeTimeout));
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}

using ExchangeSimulator.Market;
using ExchangeSimulator.Rest;
using ExchangeSimulator.Streams;
using ExchangeSimulator.WebSockets;

namespace ExchangeSimulator.Hosting;

/// <summary>One simulated market (Spot or USD-M futures) and the regions that serve it.</summary>
public sealed record ExchangeSettings
{
    /// <summary>Name in the control API's paths, e.g. <c>spot</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Where the events come from: a <see cref="MarketSimulator"/> or a replay.</summary>
    public required IMarketSource Source { get; init; }

    /// <summary>
    /// Symbols of <see cref="Source"/> not listed yet: absent from <c>exchangeInfo</c>, trading nothing until the control API
    /// lists them (<c>POST /markets/{m}/symbols/{symbol}/list</c>).
    /// </summary>
    public IReadOnlyCollection<string> Unlisted { get; init; } = [];

    /// <summary>Region names; each gets its own listener (WebSocket and REST) and fails on its own.</summary>
    public IReadOnlyList<string> Regions { get; init; } = ["a", "b"];

    /// <summary>Address the regions listen on: loopback by default; <c>0.0.0.0</c> in a container.</summary>
    public System.Net.IPAddress ListenAddress { get; init; } = System.Net.IPAddress.Loopback;

    /// <summary>Fixed ports per region; a region not listed listens on a free port.</summary>
    public IReadOnlyDictionary<string, int> Ports { get; init; } = new Dictionary<string, int>();

    /// <summary>WebSocket limits and timers; null gives Binance's for the source's flavor.</summary>
    public StreamServerOptions? Streams { get; init; }

    public BinanceRestOptions Rest { get; init; } = new();

    public StreamPublisherOptions Publisher { get; init; } = new();
}

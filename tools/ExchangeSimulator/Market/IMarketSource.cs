namespace ExchangeSimulator.Market;

/// <summary>
/// Where a simulated exchange's events come from: the seeded <see cref="MarketSimulator"/> or a replay of
/// recorded real data. Events are produced in time order by <see cref="AdvanceTo"/>; nothing moves on its
/// own (a driver maps wall-clock time onto simulated time). Not thread-safe: callers serialize access
/// (see <c>Rest.SimulatedMarket</c>).
/// </summary>
public interface IMarketSource
{
    MarketFlavor Flavor { get; }

    /// <summary>Every symbol the source can produce, most traded first; fixed for the source's lifetime.</summary>
    IReadOnlyList<SymbolSpec> Symbols { get; }

    /// <summary>Simulated microseconds since the epoch at which the first event may occur.</summary>
    long StartUs { get; }

    /// <summary>Simulated time reached: everything at or before it has been produced.</summary>
    long NowUs { get; }

    /// <summary>Time of the last event a finite source (a recording) holds; null for an endless one.</summary>
    long? EndUs { get; }

    /// <summary>
    /// True when the source publishes klines itself through <see cref="IMarketListener.OnKline"/> (a recording of
    /// klines); false when klines are to be computed from its trades, as Binance does.
    /// </summary>
    bool ProvidesKlines { get; }

    /// <summary>Produces every event with a time at or before <paramref name="untilUs"/> into <paramref name="listener"/>, in time order.</summary>
    void AdvanceTo(long untilUs, IMarketListener listener);

    /// <summary>The current book of <paramref name="symbol"/>, best <paramref name="limit"/> levels per side (REST depth).</summary>
    /// <exception cref="KeyNotFoundException">No such symbol.</exception>
    /// <exception cref="InvalidOperationException">The source has no book for the symbol (a recording without depth).</exception>
    OrderBookSnapshot GetOrderBook(string symbol, int limit);

    /// <summary>Klines the source holds for <paramref name="symbol"/> at <paramref name="interval"/> up to <see cref="NowUs"/>, or null to compute them from trades.</summary>
    IReadOnlyList<Kline>? GetRecordedKlines(string symbol, KlineInterval interval);
}

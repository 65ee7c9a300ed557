using ExchangeSimulator.Market;

namespace ExchangeSimulator.Rest;

/// <summary>
/// An <see cref="IMarketSource"/> (the seeded market or a replay) and the <see cref="GroundTruth"/> it feeds, shared between the code that
/// advances the market (a test, a driver loop) and servers that read it concurrently. Neither
/// the source nor <see cref="GroundTruth"/> is thread-safe, so every advance and every
/// read goes through one lock: a REST request sees the market either before or after an advance, never
/// half-way. Reads are short (a binary search and a copy of at most a few thousand rows), so one
/// plain lock is enough; the lock is never held while writing a response.
/// </summary>
public sealed class SimulatedMarket
{
    private readonly Lock _lock = new();
    private readonly IMarketSource _market;
    private readonly GroundTruth _truth;

    /// <param name="market">The market; from now on advance it only through <see cref="AdvanceTo(long, IMarketListener?)"/>.</param>
    /// <param name="truth">Everything <paramref name="market"/> generated so far (it must have listened to every earlier advance).</param>
    public SimulatedMarket(IMarketSource market, GroundTruth truth)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(truth);
        _market = market;
        _truth = truth;
        Flavor = market.Flavor;
        Symbols = market.Symbols;
        SymbolsByName = market.Symbols.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>A new market from <paramref name="options"/> with a ground truth that has seen nothing yet.</summary>
    public static SimulatedMarket Create(MarketOptions options)
    {
        var market = new MarketSimulator(options);
        return new SimulatedMarket(market, new GroundTruth(market.Symbols));
    }

    public MarketFlavor Flavor { get; }

    /// <summary>Fixed at construction: safe to read without the lock.</summary>
    public IReadOnlyList<SymbolSpec> Symbols { get; }

    internal IReadOnlyDictionary<string, SymbolSpec> SymbolsByName { get; }

    /// <summary>Trades missing from the exchange's history (thread-safe: readable without the lock).</summary>
    public HistoryHoles Holes => _truth.Holes;

    /// <summary>Simulated time reached.</summary>
    public long NowUs => Read(static (market, _) => market.NowUs);

    /// <summary>
    /// Generates every event up to <paramref name="untilUs"/> into the ground truth and, when given, into
    /// <paramref name="listener"/> too (called under the lock: it must not call back into this object).
    /// </summary>
    public void AdvanceTo(long untilUs, IMarketListener? listener = null)
    {
        lock (_lock)
        {
            _market.AdvanceTo(untilUs, listener is null ? _truth : new FanOut(_truth, listener));
            (listener as IMarketClockListener)?.AdvanceTime(untilUs);
        }
    }

    public void AdvanceTo(DateTimeOffset until, IMarketListener? listener = null) =>
        AdvanceTo(SimulatedTime.ToMicroseconds(until), listener);

    /// <summary>
    /// Runs <paramref name="read"/> under the lock. It must return data that stays valid after the lock
    /// is released (copies, as <see cref="GroundTruth.QueryTrades"/> and <see cref="IMarketSource.GetOrderBook"/> return).
    /// </summary>
    public T Read<T>(Func<IMarketSource, GroundTruth, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_lock)
        {
            return read(_market, _truth);
        }
    }

    private sealed class FanOut(IMarketListener first, IMarketListener second) : IMarketListener
    {
        public void OnTrade(in AggregateTrade trade)
        {
            first.OnTrade(trade);
            second.OnTrade(trade);
        }

        public void OnDepthUpdate(DepthUpdate update)
        {
            first.OnDepthUpdate(update);
            second.OnDepthUpdate(update);
        }

        public void OnKline(Kline kline, long eventTimeUs)
        {
            first.OnKline(kline, eventTimeUs);
            second.OnKline(kline, eventTimeUs);
        }
    }
}

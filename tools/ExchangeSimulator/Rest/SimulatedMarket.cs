using ExchangeSimulator.Market;

namespace ExchangeSimulator.Rest;

/// <summary>
/// An <see cref="IMarketSource"/> (the seeded market or a replay) and the <see cref="GroundTruth"/> it feeds, shared between the code that
/// advances the market (a test, a driver loop) and servers that read it concurrently. Neither
/// the source nor <see cref="GroundTruth"/> is thread-safe, so every advance and every
/// read goes through one lock: a REST request sees the market either before or after an advance, never
/// half-way. Reads are short (a binary search and a copy of at most a few thousand rows), so one
/// plain lock is enough; the lock is never held while writing a response.
/// <para>
/// It also holds each symbol's <see cref="Listings"/>: a symbol that does not trade (not listed yet, or delisted)
/// produces nothing from the simulated time of the change on. A source that implements
/// <see cref="ISymbolTradingControl"/> (the seeded market) stops generating it; any other (a recording) goes on, and
/// its events for that symbol are dropped before the ground truth and the streams see them.
/// </para>
/// </summary>
public sealed class SimulatedMarket
{
    private readonly Lock _lock = new();
    private readonly IMarketSource _market;
    private readonly GroundTruth _truth;

    /// <param name="market">The market; from now on advance it only through <see cref="AdvanceTo(long, IMarketListener?)"/>.</param>
    /// <param name="truth">Everything <paramref name="market"/> generated so far (it must have listened to every earlier advance).</param>
    /// <param name="unlisted">Symbols not listed yet (<see cref="ListingStatus.Unlisted"/>) until <see cref="SetListing"/> lists them.</param>
    /// <exception cref="ArgumentException"><paramref name="unlisted"/> names a symbol the market does not have.</exception>
    public SimulatedMarket(IMarketSource market, GroundTruth truth, IEnumerable<string>? unlisted = null)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(truth);
        _market = market;
        _truth = truth;
        Flavor = market.Flavor;
        Symbols = market.Symbols;
        SymbolsByName = market.Symbols.ToDictionary(s => s.Name, StringComparer.Ordinal);
        Listings = new SymbolListings(market.Symbols, market.Flavor);
        var names = (unlisted ?? []).ToList();
        var unknown = names.Where(n => !SymbolsByName.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Not symbols of the market: {string.Join(", ", unknown)}.", nameof(unlisted));
        }

        foreach (var name in names)
        {
            (_market as ISymbolTradingControl)?.StopTrading(name);
            Listings.Set(name, ListingStatus.Unlisted);
        }
    }

    /// <summary>A new market from <paramref name="options"/> with a ground truth that has seen nothing yet.</summary>
    /// <param name="options">The seeded market.</param>
    /// <param name="unlisted">Symbols not listed yet.</param>
    public static SimulatedMarket Create(MarketOptions options, IEnumerable<string>? unlisted = null)
    {
        var market = new MarketSimulator(options);
        return new SimulatedMarket(market, new GroundTruth(market.Symbols), unlisted);
    }

    public MarketFlavor Flavor { get; }

    /// <summary>Fixed at construction: safe to read without the lock.</summary>
    public IReadOnlyList<SymbolSpec> Symbols { get; }

    internal IReadOnlyDictionary<string, SymbolSpec> SymbolsByName { get; }

    /// <summary>Each symbol's listing status (thread-safe: readable without the lock; changed by <see cref="SetListing"/>).</summary>
    public SymbolListings Listings { get; }

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
            IMarketListener target = listener is null ? _truth : new FanOut(_truth, listener);
            if (!Listings.AllTrading)
            {
                target = new TradingOnly(Listings, target);
            }

            _market.AdvanceTo(untilUs, target);
            (listener as IMarketClockListener)?.AdvanceTime(untilUs);
        }
    }

    /// <summary>
    /// Lists (<see cref="ListingStatus.Trading"/>) or delists (<see cref="ListingStatus.Delisted"/>) <paramref name="symbol"/> at the
    /// simulated time reached (<see cref="NowUs"/>): everything up to it was produced under the old status, everything after
    /// under the new one. Setting the current status again changes nothing.
    /// </summary>
    /// <returns>The simulated time at which the status applies.</returns>
    /// <exception cref="KeyNotFoundException">No such symbol.</exception>
    /// <exception cref="ArgumentException"><paramref name="status"/> is <see cref="ListingStatus.Unlisted"/> (a listed symbol cannot become unlisted again).</exception>
    /// <exception cref="InvalidOperationException">Delisting a symbol that was never listed.</exception>
    public long SetListing(string symbol, ListingStatus status)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (status == ListingStatus.Unlisted)
        {
            throw new ArgumentException("A symbol can be listed or delisted, not made unlisted again.", nameof(status));
        }

        lock (_lock)
        {
            var current = Listings.Get(symbol);
            if (current == status)
            {
                return _market.NowUs;
            }

            if (current == ListingStatus.Unlisted && status == ListingStatus.Delisted)
            {
                throw new InvalidOperationException($"{symbol} was never listed: there is nothing to delist.");
            }

            if (_market is ISymbolTradingControl control)
            {
                if (status == ListingStatus.Trading)
                {
                    control.ResumeTrading(symbol);
                }
                else
                {
                    control.StopTrading(symbol);
                }
            }

            Listings.Set(symbol, status);
            return _market.NowUs;
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

    /// <summary>Drops the events of symbols that do not trade: a source without <see cref="ISymbolTradingControl"/> still produces them.</summary>
    private sealed class TradingOnly(SymbolListings listings, IMarketListener inner) : IMarketListener
    {
        public void OnTrade(in AggregateTrade trade)
        {
            if (listings.IsTrading(trade.Symbol))
            {
                inner.OnTrade(trade);
            }
        }

        public void OnDepthUpdate(DepthUpdate update)
        {
            if (listings.IsTrading(update.Symbol))
            {
                inner.OnDepthUpdate(update);
            }
        }

        public void OnKline(Kline kline, long eventTimeUs)
        {
            if (listings.IsTrading(kline.Symbol))
            {
                inner.OnKline(kline, eventTimeUs);
            }
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
